#include "app/platform.hpp"

#include <spdlog/spdlog.h>

#include "app/module_registry.hpp"
#include "engine/vault/master_key_file.hpp"
#include "http/curl_http_client.hpp"
#include "modules/accounts/http_sms_provider.hpp"
#include "modules/identity/dev_face_provider.hpp"
#include "modules/identity/http_face_provider.hpp"
#include "modules/live/in_process_bus.hpp"
#include "modules/live/redis_bus.hpp"
#include "modules/wallet/http_payment_provider.hpp"
#include "util/encoding.hpp"
#include "store/postgres/postgres_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace veil::app {

Result<std::unique_ptr<store::Database>> open_database(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
  std::unique_ptr<store::Database> db;
  if (config.database.empty()) {
    db = VEIL_TRY(store::SqliteDatabase::open((config.data_dir / "veil.db").string()));
  } else {
    db = VEIL_TRY(store::PostgresDatabase::open(config.database));
  }
  auto migrations = all_migrations();
  VEIL_TRY(db->migrate(migrations));
  return db;
}

Platform::~Platform() = default;

HttpClient& Platform::http_client() {
  if (!http_client_) http_client_ = std::make_unique<http::CurlHttpClient>();
  return *http_client_;
}

namespace {
Result<SecretBytes> provider_secret(const ProviderConfig& provider, std::string_view name) {
  if (provider.url.empty()) return Error::invalid("config_invalid", std::string(name) + ".provider = http needs " + std::string(name) + ".url");
  return engine::load_key_file(provider.secret_file, 32, false);
}
}  // namespace

Result<std::unique_ptr<Platform>> Platform::open(Config config) {
  std::unique_ptr<Platform> p(new Platform());
  config.resolve_defaults();
  p->config_ = std::move(config);
  const Config& c = p->config_;
  p->db_ = VEIL_TRY(open_database(c));
  p->engine_ = VEIL_TRY(engine::Engine::open(
      *p->db_, p->clock_, {c.data_dir, c.resources / "datamap" / "datamap.toml", c.resources / "i18n" / "policy.toml"}));
  p->errors_ = std::make_unique<ErrorMessages>(VEIL_TRY(ErrorMessages::load_file((c.resources / "i18n" / "errors.toml").string())));
  if (c.sms.provider == "http") {
    SecretBytes secret = VEIL_TRY(provider_secret(c.sms, "sms"));
    p->sms_ = std::make_unique<accounts::HttpSmsProvider>(p->http_client(), c.sms.url, std::move(secret), p->clock_);
  } else {
    auto dev = std::make_unique<accounts::DevSmsProvider>(*p->db_, *p->engine_, p->clock_);
    p->dev_sms_ = dev.get();
    p->sms_ = std::move(dev);
    spdlog::warn("SMS: development provider — codes are kept in the outbox, not delivered");
  }
  p->otp_ = std::make_unique<accounts::OtpService>(*p->db_, *p->engine_, *p->sms_, p->clock_);
  p->accounts_ = std::make_unique<accounts::AccountService>(*p->db_, *p->engine_, *p->otp_, p->clock_);
  p->profiles_ = std::make_unique<accounts::ProfileService>(*p->db_, *p->engine_, *p->accounts_, p->clock_);
  p->guardians_ = std::make_unique<accounts::GuardianService>(*p->db_, *p->engine_, *p->accounts_, *p->otp_, p->clock_);
  p->consents_ = std::make_unique<accounts::ConsentChoices>(*p->db_, *p->engine_, *p->accounts_);
  if (c.face.provider == "http") {
    SecretBytes secret = VEIL_TRY(provider_secret(c.face, "face"));
    p->faces_ = std::make_unique<identity::HttpFaceProvider>(p->http_client(), c.face.url, std::move(secret), p->clock_);
  } else {
    p->faces_ = std::make_unique<identity::DevFaceProvider>();
    spdlog::warn("Face verification: development provider — every well-formed photo matches");
  }
  p->real_names_ = std::make_unique<identity::RealNameService>(*p->db_, *p->engine_, *p->accounts_, *p->faces_, p->clock_);
  p->notices_ = std::make_unique<accounts::NoticeService>(*p->db_, *p->engine_, p->clock_);
  p->streamers_ = std::make_unique<live::StreamerApplications>(*p->db_, *p->engine_, *p->accounts_, *p->real_names_,
                                                                *p->notices_, p->clock_);
  p->rooms_ = std::make_unique<live::Rooms>(*p->db_, *p->engine_, *p->accounts_, *p->real_names_, *p->streamers_, p->clock_);
  if (c.redis.empty()) {
    p->bus_ = std::make_unique<live::InProcessBus>();
  } else {
    auto colon = c.redis.rfind(':');
    if (colon == std::string::npos) return Error::invalid("config_invalid", "live.redis must be host:port");
    p->bus_ = VEIL_TRY(live::RedisBus::connect(c.redis.substr(0, colon), std::atoi(c.redis.c_str() + colon + 1)));
  }
  p->hub_ = std::make_unique<live::RoomHub>(*p->bus_, random_id(6), std::chrono::milliseconds(500), c.rounds);
  p->room_messages_ = std::make_unique<live::RoomMessages>(*p->db_, *p->engine_, p->clock_);
  p->cohosting_ = std::make_unique<live::Cohosting>(*p->db_, *p->engine_, *p->rooms_, p->clock_);
  p->moderation_ = std::make_unique<live::Moderation>(*p->db_, *p->engine_, *p->accounts_, *p->notices_, *p->rooms_, p->clock_);
  p->lotteries_ = std::make_unique<live::Lotteries>(*p->db_, *p->engine_, *p->notices_, *p->rooms_, p->clock_);
  p->recordings_ = std::make_unique<live::Recordings>(*p->db_, *p->engine_, p->clock_);
  p->ledger_ = std::make_unique<wallet::Ledger>(*p->engine_, p->clock_);
  if (c.payment.provider == "http") {
    SecretBytes secret = VEIL_TRY(provider_secret(c.payment, "payment"));
    p->payments_ = std::make_unique<wallet::HttpPaymentProvider>(p->http_client(), c.payment.url, std::move(secret), p->clock_);
  } else {
    auto dev = std::make_unique<wallet::DevPaymentProvider>();
    p->dev_payments_ = dev.get();
    p->payments_ = std::move(dev);
    spdlog::warn("Payments: development provider — recharges are paid on a test checkout page, no money moves");
  }
  p->recharges_ = std::make_unique<wallet::Recharges>(*p->db_, *p->engine_, *p->accounts_, *p->ledger_, *p->payments_, p->clock_);
  p->withdrawals_ = std::make_unique<wallet::Withdrawals>(*p->db_, *p->engine_, *p->real_names_, *p->ledger_, p->clock_);
  p->wallets_ = std::make_unique<wallet::Wallets>(*p->db_, *p->engine_, *p->withdrawals_);
  p->data_access_ = std::make_unique<rights::DataAccess>(*p->db_, *p->engine_);
  p->gifts_ = std::make_unique<live::Gifts>(*p->db_, *p->accounts_, *p->rooms_, *p->moderation_, *p->ledger_);
  return p;
}

}  // namespace veil::app
