#pragma once
// WebRTC viewers through Janus's Streaming plugin: the Janus process is started on first use (a
// node that never has a live room never runs it), each live room gets an RTP mountpoint its
// pipeline feeds, and a Janus restart brings the mountpoints back with the same ids and ports so
// the pipelines keep sending and new viewers can join at once.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "media/janus_server.hpp"
#include "media/janus_streaming.hpp"
#include "util/http_client.hpp"

namespace veil::media {

class JanusGateway {
 public:
  // `http` outlives the gateway. Nothing starts until the first mountpoint is asked for.
  // `viewer_gone` hears of viewers that left without hangup() (JanusStreaming::on_viewer_gone).
  JanusGateway(HttpClient& http, std::filesystem::path work_dir, std::function<void(std::int64_t)> viewer_gone = {})
      : http_(http), work_dir_(std::move(work_dir)), viewer_gone_(std::move(viewer_gone)) {}
  ~JanusGateway();
  JanusGateway(const JanusGateway&) = delete;
  JanusGateway& operator=(const JanusGateway&) = delete;

  // An H.264 + Opus mountpoint named `key` (a pseudonymous id: Janus logs it), for a room's public
  // output. Error janus_unavailable when Janus cannot be started here (no binary, no network
  // interface for ICE).
  Result<Mountpoint> open_mountpoint(const std::string& key);
  // An H.264 mountpoint locked by a random PIN only this gateway knows: for a picture that one
  // person alone may watch (the host's unmasked view of a masked co-host).
  Result<Mountpoint> open_private_mountpoint(const std::string& key);
  void close_mountpoint(const std::string& key);
  // Janus's offer for a new viewer of the mountpoint (ICE candidates included).
  Result<ViewerOffer> watch(const std::string& key);
  Status start(std::int64_t viewer_id, const std::string& answer_sdp);
  Status hangup(std::int64_t viewer_id);
  bool running() const;
  int restarts() const;  // since it was first started

 private:
  Result<JanusStreaming*> client();  // with mutex_ held
  Result<Mountpoint> open(const std::string& key, bool with_audio, std::string pin);
  void restore_mountpoints();

  HttpClient& http_;
  std::filesystem::path work_dir_;
  std::function<void(std::int64_t)> viewer_gone_;
  mutable std::mutex mutex_;  // guards everything below
  std::unique_ptr<JanusServer> server_;
  std::unique_ptr<JanusStreaming> streaming_;
  std::map<std::string, MountpointSpec> mountpoints_;  // by key, with the ids and ports Janus gave
  std::int64_t failed_at_ms_ = 0;                       // a failed start is not retried at once
};

}  // namespace veil::media
