#pragma once
// The HTTP/1.1 + WebSocket server (Boost.Beast). Everything Beast-specific stays in server.cpp
// and websocket_session.cpp; callers see Router, Request and Response only.
//
// Shutdown is graceful: SIGTERM/SIGINT (or stop()) closes the listener, lets every in-flight
// request finish and be answered, closes idle connections, and returns from run().
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "util/result.hpp"

namespace veil::http {

struct AccessRecord {
  std::string method;
  std::string route;  // the pattern: raw paths may carry ids or phone numbers
  int status = 0;
  double seconds = 0;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port (tests)
  int threads = 2;
  std::size_t body_limit = 64 * 1024;
  std::chrono::seconds drain_timeout{10};
  // Answers the server produces itself (malformed HTTP, body too large), in the app's error shape.
  std::function<Response(int status, std::string_view reason)> error_response;
  std::function<void(const AccessRecord&)> access_log;
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> create(ServerOptions options, const Router& router, Metrics& metrics);
  ~Server();
  unsigned short port() const;
  // Serves until stop() or SIGTERM/SIGINT; returns once in-flight requests are answered.
  void run(bool handle_signals = true);
  void stop();  // thread-safe

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace veil::http
