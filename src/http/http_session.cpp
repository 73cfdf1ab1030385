// One HTTP/1.1 connection: read a request, run its handler, write the answer, keep alive.
#include <chrono>

#include "http/server_impl.hpp"

namespace veil::http {

namespace {

namespace bhttp = beast::http;

class HttpSession final : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Server::Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}
  ~HttpSession() override { server_.connection_gone(); }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  void close_when_idle() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->close();
    });
  }

 private:
  void read() {
    parser_.emplace();
    // The parser refuses a declared length over its limit while reading the header, before the
    // route is known: allow the largest any route takes, then hold each request to its own.
    parser_->body_limit(std::max(server_.options.body_limit, server_.router.largest_body_limit()));
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(30));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  // The route is known once the header is: an upload route may accept a larger body.
  void on_header(beast::error_code header_ec) {
    if (header_ec) return on_read(header_ec);
    const auto& header = parser_->get();
    std::string_view target(header.target().data(), header.target().size());
    std::string_view method(header.method_string().data(), header.method_string().size());
    std::size_t limit = server_.router.body_limit(method, target.substr(0, target.find('?')));
    if (limit == 0) limit = server_.options.body_limit;
    auto declared = parser_->content_length();
    if (declared && *declared > limit) return on_read(bhttp::error::body_limit);
    parser_->body_limit(limit);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return reply_and_close(server_.error_response(413, "body_too_large"), "POST", "rejected");
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof)
      return close();
    if (ec) return reply_and_close(server_.error_response(400, "http_malformed"), "?", "rejected");

    busy_ = true;
    auto started = std::chrono::steady_clock::now();
    bhttp::request<bhttp::string_body> raw = parser_->release();
    Request request = convert(raw);
    bool upgrade = beast::websocket::is_upgrade(raw);
    Router::Match match = server_.router.match(request.method, request.path, upgrade);
    if (match.websocket) {
      request.params = std::move(match.params);
      observe(request.method, match.route, 101, started);
      return start_websocket_session(server_, std::move(stream_), std::move(raw), std::move(request), *match.websocket);
    }
    Response response;
    if (match.handler) {
      request.params = std::move(match.params);
      try {
        response = (*match.handler)(request);
      } catch (const std::exception&) {
        response = server_.error_response(500, "internal");
      }
    } else {
      response = server_.error_response(match.wrong_method ? 405 : 404, match.wrong_method ? "method_not_allowed" : "not_found");
    }
    observe(request.method, match.route, response.status, started);
    write(std::move(response), raw.keep_alive() && !server_.draining, raw.version());
  }

  Request convert(const bhttp::request<bhttp::string_body>& raw) const {
    Request r;
    r.method = std::string(raw.method_string());
    std::string_view target(raw.target().data(), raw.target().size());
    auto q = target.find('?');
    r.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
    for (const auto& field : raw) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(field.value());
    }
    r.body = raw.body();
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) r.client_address = endpoint.address().to_string();
    return r;
  }

  void observe(const std::string& method, const std::string& route, int status, std::chrono::steady_clock::time_point started) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    server_.metrics.observe(route, method, status, seconds);
    if (server_.options.access_log) server_.options.access_log({method, route, status, seconds});
  }

  void reply_and_close(Response response, const std::string& method, const std::string& route) {
    busy_ = true;
    observe(method, route, response.status, std::chrono::steady_clock::now());
    write(std::move(response), false, 11);
  }

  void write(Response response, bool keep_alive, unsigned version) {
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(response.status), version);
    out->set(bhttp::field::server, "veil");
    if (!response.content_type.empty()) out->set(bhttp::field::content_type, response.content_type);
    out->set("X-Content-Type-Options", "nosniff");
    out->set("Referrer-Policy", "no-referrer");
    for (auto& [name, value] : response.headers) out->set(name, value);
    out->body() = std::move(response.body);
    out->keep_alive(keep_alive);
    out->prepare_payload();
    bhttp::async_write(stream_, *out, [self = shared_from_this(), out, keep_alive](beast::error_code ec, std::size_t) {
      self->busy_ = false;
      if (ec || !keep_alive || self->server_.draining) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  Server::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool busy_ = false;  // touched only on this connection's strand
};

}  // namespace

void start_http_session(Server::Impl& server, tcp::socket socket) {
  auto session = std::make_shared<HttpSession>(server, std::move(socket));
  server.track(session);
  session->start();
}

}  // namespace veil::http
