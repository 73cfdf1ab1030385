// One WebSocket connection: text frames in to the route's listener, a queue of frames out.
#include <deque>

#include "http/server_impl.hpp"

namespace veil::http {

namespace {

namespace bhttp = beast::http;
namespace ws = beast::websocket;

class WebSocketSession final : public Connection, public WebSocketPeer, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(Server::Impl& server, beast::tcp_stream stream) : server_(server), ws_(std::move(stream)) {}
  ~WebSocketSession() override { server_.connection_gone(); }

  void start(bhttp::request<bhttp::string_body> raw, const Request& request, const WebSocketOpen& open) {
    auto opened = open(request, shared_from_this());
    if (auto* refusal = std::get_if<Response>(&opened)) return refuse(std::move(*refusal), raw.version());
    listener_ = std::move(std::get<std::unique_ptr<WebSocketListener>>(opened));
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(ws::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(server_.options.body_limit);
    // The upgrade request must outlive the asynchronous accept: keep it in the session.
    upgrade_request_ = std::move(raw);
    ws_.async_accept(upgrade_request_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish();
      self->read();
    });
  }

  void send(std::string text) override { send_shared(std::make_shared<const std::string>(std::move(text))); }

  void send_shared(std::shared_ptr<const std::string> frame) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), frame = std::move(frame)]() mutable {
      if (self->closed_ || self->closing_) return;
      // A reader that cannot keep up is disconnected rather than buffered without bound; it
      // resumes from its last sequence number when it reconnects.
      if (self->outbox_.size() >= kMaxQueuedFrames) return self->close_now();
      self->outbox_.push_back(std::move(frame));
      if (self->outbox_.size() == 1) self->write_next();
    });
  }

  // Frames already queued (a final error, the room's last event) are written first.
  void close() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      if (self->closed_ || self->closing_) return;
      self->closing_ = true;
      if (self->outbox_.empty()) self->close_now();
    });
  }

  void close_when_idle() override { close(); }

 private:
  void refuse(Response response, unsigned version) {
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(response.status), version);
    out->set(bhttp::field::content_type, response.content_type);
    out->body() = std::move(response.body);
    out->keep_alive(false);
    out->prepare_payload();
    bhttp::async_write(ws_.next_layer(), *out, [self = shared_from_this(), out](beast::error_code, std::size_t) {
      beast::error_code ignored;
      self->ws_.next_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }

  static constexpr std::size_t kMaxQueuedFrames = 4096;

  void close_now() {
    if (closed_) return;
    closed_ = true;
    ws_.async_close(ws::close_code::normal, [self = shared_from_this()](beast::error_code) {});
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      if (self->ws_.got_text()) {
        std::string text = beast::buffers_to_string(self->buffer_.data());
        self->listener_->on_message(text);
      }
      self->buffer_.consume(self->buffer_.size());
      self->read();
    });
  }

  void write_next() {
    ws_.text(true);
    ws_.async_write(asio::buffer(*outbox_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->outbox_.pop_front();
      if (!self->outbox_.empty()) self->write_next();
      else if (self->closing_) self->close_now();
    });
  }

  void finish() {
    closed_ = true;
    if (listener_) {
      listener_->on_close();
      listener_.reset();
    }
  }

  Server::Impl& server_;
  ws::stream<beast::tcp_stream> ws_;
  bhttp::request<bhttp::string_body> upgrade_request_;
  beast::flat_buffer buffer_;
  std::unique_ptr<WebSocketListener> listener_;
  std::deque<std::shared_ptr<const std::string>> outbox_;  // touched only on this connection's strand
  bool closed_ = false;
  bool closing_ = false;  // close once the outbox is written
};

}  // namespace

void start_websocket_session(Server::Impl& server, beast::tcp_stream stream, bhttp::request<bhttp::string_body> raw,
                             Request parsed, const WebSocketOpen& open) {
  auto session = std::make_shared<WebSocketSession>(server, std::move(stream));
  server.track(session);
  session->start(std::move(raw), parsed, open);
}

}  // namespace veil::http
