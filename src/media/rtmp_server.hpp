#pragma once
// nginx with its RTMP module (Debian's libnginx-mod-rtmp), run by veil serve as a supervised child
// so that OBS and other RTMP encoders can publish. nginx only relays: on every publish it asks
// Veil (`on_publish`, a form POST to a URL carrying a generated secret) whether the stream key is a
// live session's publish credential, and refuses the push unless Veil answers 2xx; Veil then plays
// the stream back from 127.0.0.1 into the room's pipeline. Nobody else may play from it.
//
// The configuration is generated (mode 0600) into a work directory; the error log keeps warnings
// only (nginx-rtmp logs encoders' addresses at info level) and there is no access log.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "media/supervised_process.hpp"
#include "util/http_client.hpp"
#include "util/result.hpp"

namespace veil::media {

struct RtmpServerOptions {
  std::filesystem::path work_dir;  // created 0700 when missing
  std::string listen_host = "127.0.0.1";  // where encoders connect ("0.0.0.0": every interface)
  int listen_port = 1935;                 // 0: a free port (tests)
  // Veil's hook: nginx POSTs on_publish to `<hook_url>/publish`, on_publish_done to
  // `<hook_url>/publish_done`.
  std::string hook_url;
  std::string binary = "/usr/sbin/nginx";
  std::filesystem::path module = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
  std::chrono::milliseconds start_timeout{5'000};
};

class RtmpServer {
 public:
  static constexpr const char* kApplication = "live";

  // `http` must outlive the server (it calls nginx's control API).
  static Result<std::unique_ptr<RtmpServer>> create(HttpClient& http, RtmpServerOptions options);
  ~RtmpServer();
  RtmpServer(const RtmpServer&) = delete;
  RtmpServer& operator=(const RtmpServer&) = delete;

  int port() const { return options_.listen_port; }  // the one bound, when 0 was asked
  // Where Veil plays a published stream back from: rtmp://127.0.0.1:<port>/live/<name>.
  std::string play_url(const std::string& stream_name) const;
  // Ends the encoder's push now (a revoked key, an ended room); fine when none is there.
  Status drop(const std::string& stream_name);
  bool running() const { return process_ && process_->running(); }
  int restarts() const { return process_ ? process_->restarts() : 0; }

 private:
  RtmpServer(HttpClient& http, RtmpServerOptions options) : http_(http), options_(std::move(options)) {}
  Status write_configuration() const;
  bool listening() const;

  HttpClient& http_;
  RtmpServerOptions options_;
  int control_port_ = 0;  // nginx's rtmp_control, on 127.0.0.1
  std::unique_ptr<SupervisedProcess> process_;
};

}  // namespace veil::media
