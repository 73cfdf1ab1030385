#pragma once
// What the route files need: the engine, the account services, the error table, and the
// development-only pieces (null unless the server runs with --dev).
#include "app/api/error_messages.hpp"
#include "app/recording_library.hpp"
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
#include "modules/live/room_hub.hpp"
#include "modules/live/room_messages.hpp"
#include "modules/live/rooms.hpp"
#include "modules/live/streamer_applications.hpp"
#include "modules/rights/data_access.hpp"
#include "modules/wallet/dev_payment_provider.hpp"
#include "modules/wallet/recharges.hpp"
#include "modules/wallet/wallet_summary.hpp"
#include "modules/wallet/withdrawals.hpp"
#include "http/metrics.hpp"
#include "media/media_service.hpp"
#include "http/router.hpp"

namespace veil::app {

struct ApiContext {
  engine::Engine& engine;
  accounts::OtpService& otp;
  accounts::AccountService& accounts;
  accounts::ProfileService& profiles;
  accounts::GuardianService& guardians;
  accounts::ConsentChoices& consents;
  identity::RealNameService& real_names;
  accounts::NoticeService& notices;
  live::StreamerApplications& streamers;
  live::Rooms& rooms;
  live::RoomHub& hub;
  live::RoomMessages& room_messages;
  live::Cohosting& cohosting;
  live::Moderation& moderation;
  live::Lotteries& lotteries;
  live::Gifts& gifts;
  wallet::Recharges& recharges;
  wallet::Withdrawals& withdrawals;
  wallet::Wallets& wallets;
  rights::DataAccess& data_access;
  const Clock& clock;
  std::vector<std::string> card_fields;  // profile keys shown on presence cards
  const ErrorMessages& errors;
  http::Metrics& metrics;
  bool dev = false;
  accounts::DevSmsProvider* dev_outbox = nullptr;  // only with --dev and the development SMS provider
  AdvanceableClock* dev_clock = nullptr;           // only with --dev
  wallet::DevPaymentProvider* dev_payments = nullptr;  // only with --dev and the development payment provider
  media::MediaService* media = nullptr;                // null when [media] enabled = false
  // RTMP ingest (media_routes.cpp): the secret in nginx-rtmp's hook URL, and the URL encoders are
  // told to connect to; both empty while RTMP is off.
  std::string rtmp_hook_secret = {};
  std::string rtmp_url = {};
  RecordingLibrary* recordings = nullptr;              // the hosts' recordings and clips (recording_routes.cpp)

  // Runs `body` and maps an error to the shared error response.
  template <class F>
  http::Response answer(F&& body) const {
    Result<http::Response> r = body();
    return r.ok() ? std::move(r).value() : errors.response(r.error());
  }
  // The account behind the request's bearer token, or session_invalid.
  Result<std::string> account_of(const http::Request& request) const { return accounts.authenticate(request.bearer_token()); }
};

void add_info_routes(http::Router& router, ApiContext& ctx);
void add_auth_routes(http::Router& router, ApiContext& ctx);
void add_me_routes(http::Router& router, ApiContext& ctx);
void add_consent_routes(http::Router& router, ApiContext& ctx);
void add_guardian_routes(http::Router& router, ApiContext& ctx);
void add_dev_routes(http::Router& router, ApiContext& ctx);
void add_real_name_routes(http::Router& router, ApiContext& ctx);
void add_streamer_routes(http::Router& router, ApiContext& ctx);
void add_notice_routes(http::Router& router, ApiContext& ctx);
void add_room_routes(http::Router& router, ApiContext& ctx);
void add_room_channel(http::Router& router, ApiContext& ctx);
void add_cohost_routes(http::Router& router, ApiContext& ctx);
void add_moderation_routes(http::Router& router, ApiContext& ctx);
void add_lottery_routes(http::Router& router, ApiContext& ctx);
void add_wallet_routes(http::Router& router, ApiContext& ctx);
void add_gift_routes(http::Router& router, ApiContext& ctx);
void add_media_routes(http::Router& router, ApiContext& ctx);
void add_recording_routes(http::Router& router, ApiContext& ctx);
void add_rights_routes(http::Router& router, ApiContext& ctx);

// A signed-in person's presence card in a room: a per-room pseudonym ("viewer") and the profile
// fields the operator configured ([000]); never an account id.
Result<nlohmann::json> presence_card(ApiContext& ctx, const std::string& room_id, const std::string& account_id);
// The signed-in person's pseudonym in a room: the same on the channel, in cards and for the player.
std::string room_viewer_id(ApiContext& ctx, const std::string& room_id, const std::string& account_id);

}  // namespace veil::app
