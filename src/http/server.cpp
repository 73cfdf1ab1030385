#include "http/server.hpp"

#include "http/server_impl.hpp"

namespace veil::http {

Response Server::Impl::error_response(int status, std::string_view reason) const {
  if (options.error_response) return options.error_response(status, reason);
  return Response::text(status, std::string(reason));
}

void Server::Impl::accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (draining || !acceptor.is_open()) return;
    if (!ec) start_http_session(*this, std::move(socket));
    accept();
  });
}

void Server::Impl::track(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(connections_mutex);
  std::erase_if(connections, [](const std::weak_ptr<Connection>& c) { return c.expired(); });
  connections.push_back(connection);
}

void Server::Impl::begin_drain() {
  if (draining.exchange(true)) return;
  asio::post(io, [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    drain_deadline.expires_after(options.drain_timeout);
    drain_deadline.async_wait([this](beast::error_code ec) {
      if (!ec) io.stop();
    });
    std::vector<std::shared_ptr<Connection>> live;
    {
      std::lock_guard lock(connections_mutex);
      for (auto& weak : connections)
        if (auto c = weak.lock()) live.push_back(std::move(c));
    }
    // Busy connections finish their request and then close themselves (draining is set).
    for (auto& c : live) c->close_when_idle();
    live.clear();
    connection_gone();
  });
}

void Server::Impl::connection_gone() {
  if (!draining) return;
  asio::post(io, [this] {
    std::lock_guard lock(connections_mutex);
    std::erase_if(connections, [](const std::weak_ptr<Connection>& c) { return c.expired(); });
    if (connections.empty()) drain_deadline.cancel();
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::create(ServerOptions options, const Router& router, Metrics& metrics) {
  auto impl = std::make_unique<Impl>(std::move(options), router, metrics);
  beast::error_code ec;
  auto address = asio::ip::make_address(impl->options.host, ec);
  if (ec) return Error::invalid("listen_address_invalid", impl->options.host);
  tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Error{ErrorCode::Unavailable, "listen_failed",
                 impl->options.host + ":" + std::to_string(impl->options.port) + ": " + ec.message()};
  impl->bound_port = impl->acceptor.local_endpoint().port();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

unsigned short Server::port() const { return impl_->bound_port; }

void Server::stop() { impl_->begin_drain(); }

void Server::run(bool handle_signals) {
  Impl& s = *impl_;
  if (handle_signals) {
    s.signals.add(SIGINT);
    s.signals.add(SIGTERM);
    s.signals.async_wait([&s](beast::error_code ec, int) {
      if (!ec) s.begin_drain();
    });
  }
  s.accept();
  // run() returns when no work is left: after a drain, that is once the last connection closed.
  std::vector<std::thread> threads;
  for (int i = 1; i < s.options.threads; ++i) threads.emplace_back([&s] { s.io.run(); });
  s.io.run();
  for (auto& t : threads) t.join();
}

}  // namespace veil::http
