#include "media/janus_streaming.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "media/janus_replies.hpp"

namespace veil::media {

using nlohmann::json;
using namespace janus_replies;  // NOLINT: this file reads Janus's replies throughout

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kLongPollTimeout{
    40'000};                                          // Janus answers a long poll within 30 s
constexpr std::chrono::milliseconds kPollRetry{250};  // while Janus is down or restarting

Error unavailable(std::string detail) {
  return {ErrorCode::Unavailable, "janus_unavailable", std::move(detail)};
}
Error viewer_not_found() { return {ErrorCode::NotFound, "viewer_not_found", {}}; }

Status check_spec(const MountpointSpec& spec) {
  auto port_ok = [](int port) { return port >= 0 && port <= 65535; };
  auto pt_ok = [](int pt) { return pt >= 96 && pt <= 127; };  // the dynamic payload types
  if (spec.name.size() > 128)
    return Error::invalid("mountpoint_invalid", "name longer than 128 bytes");
  if (spec.id < 0) return Error::invalid("mountpoint_invalid", "negative id");
  if (!port_ok(spec.video_port) || !port_ok(spec.audio_port))
    return Error::invalid("mountpoint_invalid", "port out of range");
  if (!pt_ok(spec.video_pt) || !pt_ok(spec.audio_pt))
    return Error::invalid("mountpoint_invalid", "payload type not dynamic");
  if (spec.video_codec != "vp8" && spec.video_codec != "vp9" && spec.video_codec != "h264")
    return Error::invalid("mountpoint_invalid", "video codec must be vp8, vp9 or h264");
  if (spec.audio_port != 0 && spec.audio_port == spec.video_port)
    return Error::invalid("mountpoint_invalid", "audio and video share a port");
  return {};
}

json mountpoint_media(const MountpointSpec& spec) {
  // iface 127.0.0.1: RTP is accepted from this machine's pipeline only.
  json video = {{"type", "video"},           {"mid", "v"},
                {"port", spec.video_port},   {"pt", spec.video_pt},
                {"codec", spec.video_codec}, {"iface", "127.0.0.1"}};
  // Without an fmtp Janus offers bare H264, which browsers decline or mismatch; this is the
  // profile every WebRTC browser decodes.
  if (spec.video_codec == "h264") video["fmtp"] = "profile-level-id=42e01f;packetization-mode=1";
  json media = json::array({video});
  if (spec.audio_port > 0)
    media.push_back({{"type", "audio"},
                     {"mid", "a"},
                     {"port", spec.audio_port},
                     {"pt", spec.audio_pt},
                     {"codec", "opus"},
                     {"iface", "127.0.0.1"}});
  return media;
}

}  // namespace

JanusStreaming::JanusStreaming(HttpClient& http, std::string base_url, std::string api_secret,
                               std::string admin_key, JanusStreamingTimeouts timeouts)
    : http_(http),
      base_url_(std::move(base_url)),
      api_secret_(std::move(api_secret)),
      admin_key_(std::move(admin_key)),
      timeouts_(timeouts) {}

Result<std::unique_ptr<JanusStreaming>> JanusStreaming::connect(HttpClient& http,
                                                                std::string base_url,
                                                                std::string api_secret,
                                                                std::string admin_key,
                                                                JanusStreamingTimeouts timeouts) {
  std::unique_ptr<JanusStreaming> client(new JanusStreaming(
      http, std::move(base_url), std::move(api_secret), std::move(admin_key), timeouts));
  VEIL_TRY(client->current_session());
  client->polling_ = true;
  client->poller_ = std::thread([raw = client.get()] { raw->poll_events(); });
  return client;
}

JanusStreaming::~JanusStreaming() {
  try {
    end_session();
  } catch (const std::exception& e) {  // allocation only; the poller must be joined regardless
    spdlog::error("janus streaming: ending the session failed: {}", e.what());
  }
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (poller_.joinable()) poller_.join();
}

void JanusStreaming::end_session() {
  Session session;
  std::vector<std::int64_t> viewers;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    session = session_;
    for (const auto& [handle, viewer] : viewers_)
      if (viewer.generation == session.generation) viewers.push_back(handle);
    viewers_.clear();
  }
  changed_.notify_all();
  if (session.id != 0) {
    for (auto handle : viewers) detach(session, handle);
    // Janus has no way to end a pending long poll but an event: detaching queues a "detached"
    // event, a little later, and only while the session lives. So the session is destroyed only
    // once the poller has taken that event and stopped (else the long poll waits out Janus's 30 s).
    detach(session, session.control_handle);
    {
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, timeouts_.request, [this] { return !polling_; });
    }
    [[maybe_unused]] auto destroyed =
        post(url(session.id), {{"janus", "destroy"}}, timeouts_.request);
  }
}

std::string JanusStreaming::next_transaction() {
  std::lock_guard lock(mutex_);
  return "veil-" + std::to_string(++transactions_);
}

std::string JanusStreaming::url(std::int64_t session_id, std::int64_t handle_id) const {
  std::string result = base_url_;
  if (session_id != 0) result += "/" + std::to_string(session_id);
  if (handle_id != 0) result += "/" + std::to_string(handle_id);
  return result;
}

Result<json> JanusStreaming::post(const std::string& to, json body,
                                  std::chrono::milliseconds timeout) {
  if (!body.contains("transaction")) body["transaction"] = next_transaction();
  body["apisecret"] = api_secret_;
  HttpRequest request;
  request.method = "POST";
  request.url = to;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = body.dump();
  request.timeout_ms = static_cast<long>(timeout.count());
  auto response = http_.send(request);
  if (!response.ok()) return unavailable(response.error().detail);
  if (response->status != 200)
    return unavailable("janus answered HTTP " + std::to_string(response->status));
  json reply = json::parse(response->body, nullptr, false);
  if (!reply.is_object()) return unavailable("janus answered something that is not a JSON object");
  return reply;
}

Result<JanusStreaming::Session> JanusStreaming::current_session() {
  std::lock_guard one_at_a_time(connect_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return unavailable("client shutting down");
    if (session_.id != 0) return session_;
  }
  json created = VEIL_TRY(post(base_url_, {{"janus", "create"}}, timeouts_.request));
  if (text(created, "janus") != "success") return core_error(created);
  Session session;
  session.id = number(member(created, "data"), "id");
  if (session.id == 0) return unavailable("janus created a session without an id");
  json attached =
      VEIL_TRY(post(url(session.id), {{"janus", "attach"}, {"plugin", "janus.plugin.streaming"}},
                    timeouts_.request));
  if (text(attached, "janus") != "success") return core_error(attached);
  session.control_handle = number(member(attached, "data"), "id");
  {
    std::lock_guard lock(mutex_);
    session.generation = ++generations_;
    if (session.generation > 1) ++reconnects_;
    session_ = session;
  }
  changed_.notify_all();
  if (session.generation > 1)
    spdlog::warn("janus streaming: opened a new session after Janus lost the old one");
  return session;
}

void JanusStreaming::session_lost(std::uint64_t generation) {
  std::vector<std::int64_t> gone;
  std::function<void(std::int64_t)> tell;
  {
    std::lock_guard lock(mutex_);
    if (session_.generation != generation || session_.id == 0) return;
    session_.id = 0;
    // Janus took the viewers' PeerConnections with the session.
    std::erase_if(viewers_, [&](const auto& entry) {
      if (entry.second.generation != generation) return false;
      gone.push_back(entry.first);
      return true;
    });
    if (!stopping_) tell = viewer_gone_;
  }
  changed_.notify_all();  // waiters for this session's events give up
  spdlog::warn("janus streaming: Janus lost our session (restarted?)");
  if (tell)
    for (auto viewer : gone) tell(viewer);
}

void JanusStreaming::on_viewer_gone(std::function<void(std::int64_t)> gone) {
  std::lock_guard lock(mutex_);
  viewer_gone_ = std::move(gone);
}

void JanusStreaming::viewer_closed(std::int64_t handle, std::uint64_t generation) {
  Session session;
  std::function<void(std::int64_t)> tell;
  {
    std::lock_guard lock(mutex_);
    auto viewer = viewers_.find(handle);
    // Not ours any more: hung up, or its mountpoint destroyed, by us.
    if (viewer == viewers_.end() || viewer->second.generation != generation) return;
    viewers_.erase(viewer);
    session = session_;
    if (!stopping_) tell = viewer_gone_;
  }
  if (session.generation == generation && session.id != 0) detach(session, handle);  // frees the handle
  if (tell) tell(handle);
}

Result<json> JanusStreaming::control_request(const json& body) {
  // Twice at most: a session Janus lost with a restart is replaced once.
  for (int attempt = 0; attempt < 2; ++attempt) {
    Session session = VEIL_TRY(current_session());
    json reply = VEIL_TRY(post(url(session.id, session.control_handle),
                               {{"janus", "message"}, {"body", body}}, timeouts_.request));
    if (session_gone(janus_error_code(reply))) {
      session_lost(session.generation);
      continue;
    }
    if (janus_error_code(reply) != 0) return core_error(reply);
    return reply;
  }
  return unavailable("janus lost two sessions in a row");
}

Result<std::int64_t> JanusStreaming::attach(const Session& session) {
  json reply =
      VEIL_TRY(post(url(session.id), {{"janus", "attach"}, {"plugin", "janus.plugin.streaming"}},
                    timeouts_.request));
  if (session_gone(janus_error_code(reply))) {
    session_lost(session.generation);
    return unavailable("janus lost our session");
  }
  if (text(reply, "janus") != "success") return core_error(reply);
  const std::int64_t handle = number(member(reply, "data"), "id");
  if (handle == 0) return unavailable("janus attached a handle without an id");
  return handle;
}

void JanusStreaming::detach(const Session& session, std::int64_t handle) {
  // Best effort: a handle Janus no longer has is as detached as it gets.
  [[maybe_unused]] auto reply =
      post(url(session.id, handle), {{"janus", "detach"}}, timeouts_.request);
}

void JanusStreaming::expect_event(const std::string& transaction) {
  std::lock_guard lock(mutex_);
  expected_.insert(transaction);
}

void JanusStreaming::forget_event(const std::string& transaction) {
  std::lock_guard lock(mutex_);
  expected_.erase(transaction);
  arrived_.erase(transaction);
}

Result<json> JanusStreaming::await_event(const std::string& transaction, std::uint64_t generation) {
  std::unique_lock lock(mutex_);
  const bool done = changed_.wait_for(lock, timeouts_.event, [&] {
    return arrived_.contains(transaction) || session_.generation != generation ||
           session_.id == 0 || stopping_;
  });
  auto found = arrived_.find(transaction);
  std::unique_ptr<json> event = found == arrived_.end() ? nullptr : std::move(found->second);
  expected_.erase(transaction);
  arrived_.erase(transaction);
  if (event) return std::move(*event);
  if (!done)
    return unavailable("no answer from janus within " + std::to_string(timeouts_.event.count()) +
                       " ms");
  return unavailable(stopping_ ? "client shutting down" : "janus lost our session");
}

void JanusStreaming::poll_events() {
  auto last_keepalive = Clock::now();
  while (true) {
    Session session;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || session_.id != 0; });
      if (stopping_) {
        polling_ = false;
        changed_.notify_all();
        return;
      }
      session = session_;
    }
    HttpRequest request;
    request.method = "GET";
    request.url = url(session.id) + "?maxev=16&apisecret=" + api_secret_;
    request.timeout_ms = static_cast<long>(kLongPollTimeout.count());
    auto response = http_.send(request);
    if (response.ok() && response->status == 404) {  // the HTTP transport's "no such session"
      session_lost(session.generation);
      continue;
    }
    if (!response.ok() || response->status != 200) {
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, kPollRetry, [this] { return stopping_; });
      continue;
    }
    json events = json::parse(response->body, nullptr, false);
    if (events.is_object()) events = json::array({events});
    if (events.is_array())
      for (const auto& event : events)
        if (event.is_object()) dispatch(event, session.generation);

    // A long poll already counts as activity for Janus's HTTP transport; the explicit keepalive
    // also notices a session Janus dropped while no events came.
    if (Clock::now() - last_keepalive >= timeouts_.keepalive) {
      last_keepalive = Clock::now();
      auto reply = post(url(session.id), {{"janus", "keepalive"}}, timeouts_.request);
      if (reply.ok() && session_gone(janus_error_code(*reply))) session_lost(session.generation);
    }
  }
}

void JanusStreaming::dispatch(const json& event, std::uint64_t generation) {
  const std::string kind = text(event, "janus");
  const std::string transaction = text(event, "transaction");
  if (!transaction.empty()) {
    std::lock_guard lock(mutex_);
    if (expected_.contains(transaction)) {
      arrived_[transaction] = std::make_unique<json>(event);
      changed_.notify_all();
      return;
    }
  }
  if (kind == "timeout") {
    session_lost(generation);
  } else if (kind == "hangup" || kind == "detached") {
    spdlog::debug("janus streaming: handle {} {}", number(event, "sender"), kind);
    viewer_closed(number(event, "sender"), generation);
  }
}

Result<Mountpoint> JanusStreaming::create_mountpoint(const MountpointSpec& spec) {
  VEIL_TRY(check_spec(spec));
  // is_private: not listed to anyone with API access; permanent false: nothing is written to
  // Janus's configuration, a restarted Janus is empty and the owner recreates what it needs. The
  // admin key doubles as the mountpoint's secret, so only Veil can destroy it.
  json body = {{"request", "create"},
               {"type", "rtp"},
               {"admin_key", admin_key_},
               {"secret", admin_key_},
               {"is_private", true},
               {"permanent", false},
               {"media", mountpoint_media(spec)}};
  if (!spec.name.empty()) body["name"] = body["description"] = spec.name;
  if (spec.id != 0) body["id"] = spec.id;
  if (!spec.pin.empty()) body["pin"] = spec.pin;
  json reply = VEIL_TRY(control_request(body));
  const json* data = plugin_data(reply);
  VEIL_TRY(plugin_status(data));
  const json& stream = member(*data, "stream");
  Mountpoint mountpoint;
  mountpoint.id = number(stream, "id");
  const json& ports = member(stream, "ports");
  if (ports.is_array())
    for (const auto& port : ports) {
      if (text(port, "type") == "video")
        mountpoint.video_port = static_cast<int>(number(port, "port"));
      if (text(port, "type") == "audio")
        mountpoint.audio_port = static_cast<int>(number(port, "port"));
    }
  if (mountpoint.id == 0 || mountpoint.video_port == 0)
    return Error::internal("janus created a mountpoint without id or port");
  return mountpoint;
}

Status JanusStreaming::destroy_mountpoint(std::int64_t id) {
  json reply =
      VEIL_TRY(control_request({{"request", "destroy"}, {"id", id}, {"secret", admin_key_}}));
  VEIL_TRY(plugin_status(plugin_data(reply)));
  // Janus closed its viewers' PeerConnections; their handles are ours to free.
  Session session;
  std::vector<std::int64_t> viewers;
  {
    std::lock_guard lock(mutex_);
    session = session_;
    for (auto it = viewers_.begin(); it != viewers_.end();) {
      if (it->second.mountpoint_id != id) {
        ++it;
        continue;
      }
      if (it->second.generation == session.generation) viewers.push_back(it->first);
      it = viewers_.erase(it);
    }
  }
  for (auto handle : viewers) detach(session, handle);
  return {};
}

Result<ViewerOffer> JanusStreaming::watch(std::int64_t mountpoint_id, const std::string& pin) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    Session session = VEIL_TRY(current_session());
    auto handle = attach(session);
    if (!handle.ok()) {
      if (handle.error().reason == "janus_unavailable" && attempt == 0)
        continue;  // a lost session, once
      return handle.take_error();
    }
    const std::string transaction = next_transaction();
    expect_event(transaction);
    json request = {{"request", "watch"}, {"id", mountpoint_id}};
    if (!pin.empty()) request["pin"] = pin;
    auto reply = post(url(session.id, *handle),
                      {{"janus", "message"}, {"transaction", transaction}, {"body", request}},
                      timeouts_.request);
    if (!reply.ok() || janus_error_code(*reply) != 0) {
      forget_event(transaction);
      detach(session, *handle);
      if (!reply.ok()) return reply.take_error();
      return core_error(*reply);
    }
    auto event = await_event(transaction, session.generation);
    auto fail = [&](Error error) -> Result<ViewerOffer> {
      detach(session, *handle);
      return error;
    };
    if (!event.ok()) return fail(event.take_error());
    if (auto status = plugin_status(plugin_data(*event)); !status.ok())
      return fail(status.take_error());
    const json& jsep = member(*event, "jsep");
    std::string sdp = text(jsep, "sdp");
    if (text(jsep, "type") != "offer" || sdp.empty())
      return fail(Error::internal("janus sent no offer for a watch"));
    {
      std::lock_guard lock(mutex_);
      viewers_[*handle] = Viewer{mountpoint_id, session.generation};
    }
    return ViewerOffer{*handle, std::move(sdp)};
  }
  return unavailable("janus lost two sessions in a row");
}

Status JanusStreaming::start(std::int64_t viewer_id, const std::string& answer_sdp) {
  Session session;
  {
    std::lock_guard lock(mutex_);
    auto viewer = viewers_.find(viewer_id);
    if (viewer == viewers_.end()) return viewer_not_found();
    if (viewer->second.generation != session_.generation || session_.id == 0) {
      viewers_.erase(viewer);
      return viewer_not_found();
    }
    session = session_;
  }
  const std::string transaction = next_transaction();
  expect_event(transaction);
  auto reply = post(url(session.id, viewer_id),
                    {{"janus", "message"},
                     {"transaction", transaction},
                     {"body", {{"request", "start"}}},
                     {"jsep", {{"type", "answer"}, {"sdp", answer_sdp}}}},
                    timeouts_.request);
  if (!reply.ok() || janus_error_code(*reply) != 0) {
    forget_event(transaction);
    if (!reply.ok()) return reply.take_error();
    if (session_gone(janus_error_code(*reply))) {
      std::lock_guard lock(mutex_);
      viewers_.erase(viewer_id);
      return viewer_not_found();
    }
    return core_error(*reply);
  }
  json event = VEIL_TRY(await_event(transaction, session.generation));
  return plugin_status(plugin_data(event));
}

Status JanusStreaming::hangup(std::int64_t viewer_id) {
  Session session;
  {
    std::lock_guard lock(mutex_);
    auto viewer = viewers_.find(viewer_id);
    if (viewer == viewers_.end()) return viewer_not_found();
    const bool current = viewer->second.generation == session_.generation && session_.id != 0;
    viewers_.erase(viewer);
    if (!current) return {};  // gone with the Janus that had it
    session = session_;
  }
  // Detaching tears the PeerConnection down and frees the handle in one request.
  json reply = VEIL_TRY(post(url(session.id, viewer_id), {{"janus", "detach"}}, timeouts_.request));
  const int code = janus_error_code(reply);
  if (code != 0 && !session_gone(code)) return core_error(reply);
  return {};
}

int JanusStreaming::reconnects() const {
  std::lock_guard lock(mutex_);
  return reconnects_;
}

}  // namespace veil::media
