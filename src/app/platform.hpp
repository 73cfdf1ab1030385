#pragma once
// A running Veil: storage, the privacy engine and the modules, wired once. Commands (serve,
// migrate, audit verify, admin …) open a Platform and use what they need.
#include <memory>

#include "app/api/error_messages.hpp"
#include "app/config.hpp"
#include "engine/engine.hpp"
#include "modules/accounts/account_service.hpp"
#include "modules/accounts/consent_choices.hpp"
#include "modules/accounts/dev_sms_provider.hpp"
#include "modules/accounts/guardian_service.hpp"
#include "modules/accounts/profile_service.hpp"
#include "modules/accounts/notice_service.hpp"
#include "modules/identity/real_name_service.hpp"
#include "modules/live/cohosting.hpp"
#include "modules/live/gifts.hpp"
#include "modules/live/lottery.hpp"
#include "modules/live/moderation.hpp"
#include "modules/live/recordings.hpp"
#include "modules/live/room_bus.hpp"
#include "modules/live/room_hub.hpp"
#include "modules/live/room_messages.hpp"
#include "modules/live/rooms.hpp"
#include "modules/live/streamer_applications.hpp"
#include "modules/rights/data_access.hpp"
#include "modules/wallet/dev_payment_provider.hpp"
#include "modules/wallet/ledger.hpp"
#include "modules/wallet/recharges.hpp"
#include "modules/wallet/wallet_summary.hpp"
#include "modules/wallet/withdrawals.hpp"
#include "store/database.hpp"
#include "util/http_client.hpp"

namespace veil::app {

// Opens the configured database (SQLite under data_dir, or PostgreSQL) and migrates it.
Result<std::unique_ptr<store::Database>> open_database(const Config& config);

class Platform {
 public:
  static Result<std::unique_ptr<Platform>> open(Config config);
  ~Platform();

  const Config& config() const { return config_; }
  store::Database& db() { return *db_; }
  engine::Engine& engine() { return *engine_; }
  AdvanceableClock& clock() { return clock_; }
  const ErrorMessages& errors() const { return *errors_; }
  accounts::OtpService& otp() { return *otp_; }
  accounts::AccountService& accounts() { return *accounts_; }
  accounts::ProfileService& profiles() { return *profiles_; }
  accounts::GuardianService& guardians() { return *guardians_; }
  accounts::ConsentChoices& consents() { return *consents_; }
  accounts::DevSmsProvider* dev_outbox() { return dev_sms_; }
  identity::RealNameService& real_names() { return *real_names_; }
  accounts::NoticeService& notices() { return *notices_; }
  live::StreamerApplications& streamers() { return *streamers_; }
  live::Rooms& rooms() { return *rooms_; }
  live::RoomHub& hub() { return *hub_; }
  live::RoomMessages& room_messages() { return *room_messages_; }
  live::Cohosting& cohosting() { return *cohosting_; }
  live::Moderation& moderation() { return *moderation_; }
  live::Lotteries& lotteries() { return *lotteries_; }
  live::Recordings& recordings() { return *recordings_; }
  wallet::Ledger& ledger() { return *ledger_; }
  wallet::Recharges& recharges() { return *recharges_; }
  wallet::DevPaymentProvider* dev_payments() { return dev_payments_; }
  wallet::Withdrawals& withdrawals() { return *withdrawals_; }
  live::Gifts& gifts() { return *gifts_; }
  wallet::Wallets& wallets() { return *wallets_; }
  rights::DataAccess& data_access() { return *data_access_; }

 private:
  Platform() = default;
  HttpClient& http_client();  // made on first use: only HTTP providers need it
  Config config_;
  // The clock moves only through the --dev endpoint; otherwise it is the system clock.
  AdvanceableClock clock_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<ErrorMessages> errors_;
  std::unique_ptr<HttpClient> http_client_;
  std::unique_ptr<accounts::SmsProvider> sms_;
  accounts::DevSmsProvider* dev_sms_ = nullptr;  // points into sms_ when it is the development one
  std::unique_ptr<accounts::OtpService> otp_;
  std::unique_ptr<accounts::AccountService> accounts_;
  std::unique_ptr<accounts::ProfileService> profiles_;
  std::unique_ptr<accounts::GuardianService> guardians_;
  std::unique_ptr<accounts::ConsentChoices> consents_;
  std::unique_ptr<identity::FaceProvider> faces_;
  std::unique_ptr<identity::RealNameService> real_names_;
  std::unique_ptr<accounts::NoticeService> notices_;
  std::unique_ptr<live::StreamerApplications> streamers_;
  std::unique_ptr<live::Rooms> rooms_;
  std::unique_ptr<live::RoomBus> bus_;
  std::unique_ptr<live::RoomHub> hub_;  // after the bus: it unhooks from it when destroyed
  std::unique_ptr<live::RoomMessages> room_messages_;
  std::unique_ptr<live::Cohosting> cohosting_;
  std::unique_ptr<live::Moderation> moderation_;
  std::unique_ptr<live::Lotteries> lotteries_;
  std::unique_ptr<live::Recordings> recordings_;
  std::unique_ptr<wallet::Ledger> ledger_;
  std::unique_ptr<wallet::PaymentProvider> payments_;
  wallet::DevPaymentProvider* dev_payments_ = nullptr;  // points into payments_ when it is the development one
  std::unique_ptr<wallet::Recharges> recharges_;
  std::unique_ptr<wallet::Withdrawals> withdrawals_;
  std::unique_ptr<live::Gifts> gifts_;
  std::unique_ptr<wallet::Wallets> wallets_;
  std::unique_ptr<rights::DataAccess> data_access_;
};

}  // namespace veil::app
