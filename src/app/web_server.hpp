#pragma once
// `veil serve`: the API, the web app's files and the metrics on one listener.
#include <memory>

#include "app/platform.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "util/http_client.hpp"

namespace veil::http {
class Server;
}

namespace veil::media {
class MediaService;
}

namespace veil::app {

struct ApiContext;
class RoomsPublishAuthority;
class RecordingKeeper;
class RecordingLibrary;
class RoomAudience;

class WebServer {
 public:
  // Binds the listener (port 0 picks a free one) and registers every route; dev routes only
  // when the platform runs with --dev.
  static Result<std::unique_ptr<WebServer>> create(Platform& platform);
  ~WebServer();
  unsigned short port() const;
  // Serves until stop() or SIGTERM/SIGINT; in-flight requests finish first.
  void run(bool handle_signals = true);
  void stop();

 private:
  WebServer() = default;
  http::Metrics metrics_;
  std::unique_ptr<RoomsPublishAuthority> publish_authority_;
  std::unique_ptr<HttpClient> janus_http_;      // the media layer's client of Janus's API
  // Before media_: pipelines report their recordings' end to the keeper until the last one goes.
  std::unique_ptr<RecordingKeeper> recording_keeper_;
  std::unique_ptr<RecordingLibrary> recording_library_;
  std::unique_ptr<RoomAudience> audience_;      // before media_, which tells it of viewers
  std::unique_ptr<media::MediaService> media_;  // null when [media] enabled = false
  std::unique_ptr<ApiContext> context_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace veil::app
