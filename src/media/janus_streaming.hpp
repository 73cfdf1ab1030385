#pragma once
// A client of Janus's Streaming plugin over the Janus HTTP API: one Janus session for mountpoint
// management, one handle per viewer, a thread that long-polls the session's events (which also
// keeps it alive). When Janus restarts, the session is gone: the next call opens a new one, while
// viewers of the old one are reported gone and the owner recreates its mountpoints
// (JanusServerOptions::on_restarted). Thread-safe.
//
// Janus 1.1.2's Streaming plugin only makes offers: watch() returns Janus's offer, with every
// candidate already in it (half-trickle), and start() takes the viewer's answer.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <thread>

#include "util/http_client.hpp"
#include "util/result.hpp"

namespace veil::media {

struct MountpointSpec {
  std::string name;  // Janus's name and description for it; no personal information (Janus logs it)
  std::int64_t id = 0;  // 0: Janus picks one; set it to recreate a mountpoint under its old id
  int video_port = 0;   // RTP in on 127.0.0.1; 0: Janus picks one from its mountpoint port range
  int video_pt = 96;
  // "vp8", "vp9" or "h264" (constrained baseline, packetization-mode 1).
  std::string video_codec = "vp8";
  int audio_port = 0;  // Opus RTP in on 127.0.0.1; 0: no audio
  int audio_pt = 111;
  // Non-empty: Janus lets a handle watch only with this PIN — a second lock on a private mount
  // beyond the API secret, so a stray handle on our own session cannot open it by its id.
  std::string pin;
};

struct Mountpoint {
  std::int64_t id = 0;
  int video_port = 0;  // where Janus listens, the picked one when the spec said 0
  int audio_port = 0;  // 0: no audio
};

struct ViewerOffer {
  std::int64_t viewer_id = 0;  // the viewer's Janus handle
  std::string sdp;             // Janus's offer, ICE candidates included
};

struct JanusStreamingTimeouts {
  std::chrono::milliseconds request{5'000};     // one Janus API request
  std::chrono::milliseconds event{10'000};      // an asynchronous reply (watch's offer, start)
  std::chrono::milliseconds keepalive{25'000};  // Janus drops a session silent for 60 s
};

class JanusStreaming {
 public:
  // Reasons beyond janus_unavailable (503), mountpoint_not_found and viewer_not_found (404):
  // janus_sdp_invalid and mountpoint_invalid (400), mountpoint_create_failed (409: the id or a
  // port is taken), janus_rejected (500: our secret or key refused, a bug).
  static Result<std::unique_ptr<JanusStreaming>> connect(HttpClient& http, std::string base_url,
                                                         std::string api_secret,
                                                         std::string admin_key,
                                                         JanusStreamingTimeouts timeouts = {});
  ~JanusStreaming();  // hangs up its viewers and ends its session
  JanusStreaming(const JanusStreaming&) = delete;
  JanusStreaming& operator=(const JanusStreaming&) = delete;

  Result<Mountpoint> create_mountpoint(const MountpointSpec& spec);  // RTP in on 127.0.0.1 ports
  Status destroy_mountpoint(std::int64_t id);                        // also ends its viewers
  Result<ViewerOffer> watch(std::int64_t mountpoint_id, const std::string& pin = {});  // Janus's offer
  Status start(std::int64_t viewer_id, const std::string& answer_sdp);
  Status hangup(std::int64_t viewer_id);

  int reconnects() const;  // sessions opened after Janus lost ours (restarts)
  // Told, on the event thread, of each viewer that left without hangup(): its PeerConnection
  // closed (a tab closed sends a DTLS alert; a vanished peer fails ICE) or Janus lost the session.
  // Set before the first watch().
  void on_viewer_gone(std::function<void(std::int64_t viewer_id)> gone);

 private:
  struct Session {
    std::int64_t id = 0;
    std::int64_t control_handle = 0;  // mountpoint management
    std::uint64_t generation = 0;
  };
  struct Viewer {
    std::int64_t mountpoint_id = 0;
    std::uint64_t generation = 0;
  };

  JanusStreaming(HttpClient& http, std::string base_url, std::string api_secret,
                 std::string admin_key, JanusStreamingTimeouts timeouts);
  void end_session();  // hangs up the viewers, ends the poller's long poll, destroys the session
  std::string next_transaction();
  std::string url(std::int64_t session_id, std::int64_t handle_id = 0) const;
  Result<nlohmann::json> post(const std::string& url, nlohmann::json body,
                              std::chrono::milliseconds timeout);
  Result<Session> current_session();
  void session_lost(std::uint64_t generation);
  Result<nlohmann::json> control_request(const nlohmann::json& body);
  Result<std::int64_t> attach(const Session& session);
  void detach(const Session& session, std::int64_t handle);
  void expect_event(const std::string& transaction);
  void forget_event(const std::string& transaction);
  Result<nlohmann::json> await_event(const std::string& transaction, std::uint64_t generation);
  void poll_events();
  void dispatch(const nlohmann::json& event, std::uint64_t generation);
  void viewer_closed(std::int64_t handle, std::uint64_t generation);

  HttpClient& http_;
  const std::string base_url_;
  const std::string api_secret_;
  const std::string admin_key_;
  const JanusStreamingTimeouts timeouts_;

  std::mutex connect_mutex_;  // one session (re)creation at a time; taken before mutex_
  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  Session session_;
  std::uint64_t generations_ = 0;
  int reconnects_ = 0;
  std::uint64_t transactions_ = 0;
  std::map<std::int64_t, Viewer> viewers_;  // by Janus handle
  std::set<std::string> expected_;          // transactions a caller waits for
  std::map<std::string, std::unique_ptr<nlohmann::json>> arrived_;  // their events, until taken
  std::function<void(std::int64_t)> viewer_gone_;
  bool stopping_ = false;
  bool polling_ = false;  // the poller thread runs
  std::thread poller_;
};

}  // namespace veil::media
