#include "media/janus_gateway.hpp"

#include <sys/socket.h>

#include <spdlog/spdlog.h>

#include <chrono>

#include "media/child_support.hpp"
#include "util/encoding.hpp"

namespace veil::media {

namespace {

constexpr std::int64_t kRetryStartAfterMs = 30'000;

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

Error unavailable(std::string detail) { return Error{ErrorCode::Unavailable, "janus_unavailable", std::move(detail)}; }

}  // namespace

JanusGateway::~JanusGateway() {
  std::unique_ptr<JanusStreaming> streaming;
  std::unique_ptr<JanusServer> server;
  {
    std::lock_guard lock(mutex_);
    streaming = std::move(streaming_);
    server = std::move(server_);
  }
  // Outside the lock: stopping the server joins its supervisor, which may be waiting for the lock
  // in restore_mountpoints() after a restart.
  streaming.reset();  // before the process it talks to
  server.reset();
}

Result<JanusStreaming*> JanusGateway::client() {
  if (streaming_) return streaming_.get();
  if (failed_at_ms_ != 0 && now_ms() - failed_at_ms_ < kRetryStartAfterMs) return unavailable("recent start failed");
  auto started = [&]() -> Status {
    IceInterface ice = VEIL_TRY(default_ice_interface());
    JanusServerOptions options;
    options.work_dir = work_dir_;
    options.http_port = VEIL_TRY(free_loopback_port(SOCK_STREAM));
    options.ice_interfaces = {ice.name};
    options.on_restarted = [this] { restore_mountpoints(); };
    server_ = VEIL_TRY(JanusServer::create(http_, options));
    streaming_ = VEIL_TRY(JanusStreaming::connect(http_, server_->base_url(), server_->api_secret(), server_->admin_key()));
    if (viewer_gone_) streaming_->on_viewer_gone(viewer_gone_);
    return {};
  }();
  if (!started.ok()) {
    failed_at_ms_ = now_ms();
    streaming_.reset();
    server_.reset();
    // The reason names a missing binary or interface, nothing personal.
    spdlog::warn("media: Janus is not available, rooms play over HLS only: {}", started.error().detail);
    return unavailable(started.error().detail);
  }
  return streaming_.get();
}

Result<Mountpoint> JanusGateway::open(const std::string& key, bool with_audio, std::string pin) {
  std::lock_guard lock(mutex_);
  JanusStreaming* janus = VEIL_TRY(client());
  MountpointSpec spec;
  spec.name = key;
  spec.pin = std::move(pin);
  spec.video_codec = "h264";
  spec.video_pt = 96;
  spec.audio_pt = 111;
  spec.video_port = VEIL_TRY(free_loopback_port(SOCK_DGRAM));
  if (with_audio) spec.audio_port = VEIL_TRY(free_loopback_port(SOCK_DGRAM));
  Mountpoint made = VEIL_TRY(janus->create_mountpoint(spec));
  spec.id = made.id;
  mountpoints_[key] = spec;
  return made;
}

Result<Mountpoint> JanusGateway::open_mountpoint(const std::string& key) { return open(key, true, {}); }

Result<Mountpoint> JanusGateway::open_private_mountpoint(const std::string& key) { return open(key, false, random_id(16)); }

void JanusGateway::close_mountpoint(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = mountpoints_.find(key);
  if (it == mountpoints_.end()) return;
  if (streaming_) (void)streaming_->destroy_mountpoint(it->second.id);
  mountpoints_.erase(it);
}

Result<ViewerOffer> JanusGateway::watch(const std::string& key) {
  std::int64_t id = 0;
  std::string pin;
  JanusStreaming* janus = nullptr;
  {
    std::lock_guard lock(mutex_);
    auto it = mountpoints_.find(key);
    if (it == mountpoints_.end() || !streaming_) return Error{ErrorCode::NotFound, "mountpoint_not_found", ""};
    id = it->second.id;
    pin = it->second.pin;
    janus = streaming_.get();
  }
  return janus->watch(id, pin);
}

Status JanusGateway::start(std::int64_t viewer_id, const std::string& answer_sdp) {
  std::lock_guard lock(mutex_);
  if (!streaming_) return unavailable("not running");
  return streaming_->start(viewer_id, answer_sdp);
}

Status JanusGateway::hangup(std::int64_t viewer_id) {
  std::lock_guard lock(mutex_);
  if (!streaming_) return {};
  return streaming_->hangup(viewer_id);
}

bool JanusGateway::running() const {
  std::lock_guard lock(mutex_);
  return server_ && server_->healthy();
}

int JanusGateway::restarts() const {
  std::lock_guard lock(mutex_);
  return server_ ? server_->restarts() : 0;
}

void JanusGateway::restore_mountpoints() {
  // Runs on the supervisor's thread after a restart: same ids and ports, so the room pipelines'
  // RTP finds its way again without being told.
  std::lock_guard lock(mutex_);
  if (!streaming_) return;
  for (const auto& [room, spec] : mountpoints_) {
    auto made = streaming_->create_mountpoint(spec);
    if (!made.ok()) spdlog::warn("media: a room's mountpoint could not be restored after a Janus restart");
  }
}

}  // namespace veil::media
