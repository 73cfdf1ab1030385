#include "app/web_server.hpp"

#include <spdlog/spdlog.h>

#include "app/api/api_context.hpp"
#include "app/recording_keeper.hpp"
#include "app/recording_library.hpp"
#include "app/room_audience.hpp"
#include "app/rooms_publish_authority.hpp"
#include "media/face_detector.hpp"
#include "http/curl_http_client.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "util/encoding.hpp"

namespace veil::app {

namespace {

std::unique_ptr<ApiContext> make_context(Platform& platform, http::Metrics& metrics) {
  bool dev = platform.config().dev;
  return std::unique_ptr<ApiContext>(new ApiContext{platform.engine(), platform.otp(), platform.accounts(),
                                                    platform.profiles(), platform.guardians(), platform.consents(),
                                                    platform.real_names(), platform.notices(), platform.streamers(),
                                                    platform.rooms(), platform.hub(), platform.room_messages(),
                                                    platform.cohosting(), platform.moderation(), platform.lotteries(),
                                                    platform.gifts(), platform.recharges(), platform.withdrawals(),
                                                    platform.wallets(), platform.data_access(),
                                                    platform.clock(), platform.config().card_fields,
                                                    platform.errors(), metrics, dev,
                                                    dev ? platform.dev_outbox() : nullptr,
                                                    dev ? &platform.clock() : nullptr,
                                                    dev ? platform.dev_payments() : nullptr});
}

Result<std::unique_ptr<media::MediaService>> make_media(Platform& platform, media::PublishAuthority& authority,
                                                         HttpClient& http, media::RecordingKeeper& recordings,
                                                         media::AudienceListener& audience) {
  media::MediaOptions options;
  options.audience = &audience;  // WebRTC viewers count in the room's viewer count
  options.recordings = &recordings;  // [000] (3): every live session is recorded, kept 60 days
  options.work_dir = platform.config().data_dir / "media";
  options.output.video_kbps = platform.config().media.video_kbps;
  if (platform.config().media.webrtc) options.janus_http = &http;
  options.webrtc_viewers_per_room = platform.config().media.webrtc_viewers_per_room;
  // `[media] webrtc = false` plays over HLS only: players' own offers are refused too (whep_full).
  options.webrtcbin_viewers_per_room =
      platform.config().media.webrtc ? static_cast<std::size_t>(platform.config().media.webrtcbin_viewers_per_room) : 0;
  options.make_mask = []() -> Result<std::unique_ptr<media::FaceMask>> {
    return media::FaceMask::create(VEIL_TRY(media::make_haar_face_detector()));
  };
  return media::MediaService::create(std::move(options), authority);
}

// nginx-rtmp calls back to this server, so it starts once the port is bound. Without it (nginx
// missing, the port taken) Veil runs on and the studio offers browser publishing only.
void start_rtmp(const Config& config, media::MediaService& media, HttpClient& http, unsigned short port, ApiContext& ctx) {
  const std::string secret = random_id(24);
  media::RtmpServerOptions options;
  options.listen_host = config.media.rtmp_host;
  options.listen_port = config.media.rtmp_port;
  const bool veil_on_any = config.host.empty() || config.host == "0.0.0.0" || config.host == "::";
  options.hook_url = "http://" + (veil_on_any ? std::string("127.0.0.1") : config.host) + ":" + std::to_string(port) +
                     "/api/v1/media/rtmp/" + secret;
  if (!media.start_rtmp(http, options).ok()) return;
  ctx.rtmp_hook_secret = secret;
  // Encoders are told the listen address, or the operator's public name for it.
  const bool any = config.media.rtmp_host == "0.0.0.0" || config.media.rtmp_host == "::";
  ctx.rtmp_url = !config.media.rtmp_url.empty()
                     ? config.media.rtmp_url
                     : "rtmp://" + (any ? std::string("127.0.0.1") : config.media.rtmp_host) + ":" +
                           std::to_string(media.rtmp_port()) + "/" + media::RtmpServer::kApplication;
}

void register_routes(http::Router& router, ApiContext& ctx, const std::filesystem::path& web_root) {
  add_info_routes(router, ctx);
  add_auth_routes(router, ctx);
  add_me_routes(router, ctx);
  add_rights_routes(router, ctx);
  add_consent_routes(router, ctx);
  add_guardian_routes(router, ctx);
  add_real_name_routes(router, ctx);
  add_streamer_routes(router, ctx);
  add_notice_routes(router, ctx);
  add_room_routes(router, ctx);
  add_room_channel(router, ctx);
  add_cohost_routes(router, ctx);
  add_moderation_routes(router, ctx);
  add_lottery_routes(router, ctx);
  add_wallet_routes(router, ctx);
  add_gift_routes(router, ctx);
  add_media_routes(router, ctx);
  add_recording_routes(router, ctx);
  if (ctx.dev) add_dev_routes(router, ctx);
  const ErrorMessages& errors = ctx.errors;
  http::Handler not_found = [&errors](http::Request&) { return errors.response(404, "not_found"); };
  auto files = http::static_files(web_root, not_found);
  // Unknown API paths answer JSON, never the web app's page.
  router.set_fallback([files, not_found](http::Request& request) {
    return request.path.rfind("/api/", 0) == 0 ? not_found(request) : files(request);
  });
}

}  // namespace

WebServer::~WebServer() = default;

Result<std::unique_ptr<WebServer>> WebServer::create(Platform& platform) {
  std::unique_ptr<WebServer> w(new WebServer());
  w->context_ = make_context(platform, w->metrics_);
  if (platform.config().media.enabled) {
    w->publish_authority_ = std::make_unique<RoomsPublishAuthority>(platform.rooms());
    w->janus_http_ = std::make_unique<http::CurlHttpClient>();
    w->recording_keeper_ = std::make_unique<RecordingKeeper>(platform.recordings(), platform.config().data_dir / "media");
    w->audience_ = std::make_unique<RoomAudience>(platform.hub());
    w->media_ = VEIL_TRY(make_media(platform, *w->publish_authority_, *w->janus_http_, *w->recording_keeper_, *w->audience_));
    w->context_->media = w->media_.get();
  }
  w->recording_library_ = std::make_unique<RecordingLibrary>(platform.recordings(), platform.config().data_dir / "media");
  w->context_->recordings = w->recording_library_.get();
  register_routes(w->router_, *w->context_, platform.config().web_root);
  http::ServerOptions options;
  options.host = platform.config().host;
  options.port = platform.config().port;
  options.threads = platform.config().threads;
  const ErrorMessages& errors = platform.errors();
  options.error_response = [&errors](int status, std::string_view reason) { return errors.response(status, reason); };
  // Access log: method, route pattern, status, time. No address, no path, no query: those can
  // carry personal information.
  options.access_log = [](const http::AccessRecord& r) {
    spdlog::info("{} {} {} {:.2f}ms", r.method, r.route, r.status, r.seconds * 1000);
  };
  w->server_ = VEIL_TRY(http::Server::create(options, w->router_, w->metrics_));
  if (w->media_ && platform.config().media.rtmp) start_rtmp(platform.config(), *w->media_, *w->janus_http_, w->port(), *w->context_);
  return w;
}

unsigned short WebServer::port() const { return server_->port(); }
void WebServer::run(bool handle_signals) { server_->run(handle_signals); }
void WebServer::stop() { server_->stop(); }

}  // namespace veil::app
