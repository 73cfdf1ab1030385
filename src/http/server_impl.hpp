#pragma once
// Internals shared by server.cpp and the session files. Not for use outside src/http.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "http/beast.hpp"
#include "http/server.hpp"

namespace veil::http {

// A live connection the server can close when it drains.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void close_when_idle() = 0;  // posted to the connection's strand
};

class Server::Impl {
 public:
  Impl(ServerOptions server_options, const Router& routes, Metrics& server_metrics)
      : options(std::move(server_options)), router(routes), metrics(server_metrics), acceptor(io), signals(io),
        drain_deadline(io) {}

  void accept();
  void track(const std::shared_ptr<Connection>& connection);
  void begin_drain();
  // Called when a connection object dies: once draining and none is left, run() may return.
  void connection_gone();
  Response error_response(int status, std::string_view reason) const;

  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer drain_deadline;  // stops the loop if a client holds a request too long
  unsigned short bound_port = 0;  // remembered: the acceptor is closed after a drain
  std::atomic<bool> draining{false};
  std::mutex connections_mutex;
  std::vector<std::weak_ptr<Connection>> connections;  // guarded by connections_mutex
};

// Starts serving one accepted socket.
void start_http_session(Server::Impl& server, tcp::socket socket);
// Hands an upgraded connection to its route (or answers the route's refusal).
void start_websocket_session(Server::Impl& server, beast::tcp_stream stream,
                             beast::http::request<beast::http::string_body> request, Request parsed,
                             const WebSocketOpen& open);

}  // namespace veil::http
