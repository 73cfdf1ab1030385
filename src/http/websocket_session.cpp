// One WebSocket connection. Beast answers the upgrade; after it the connection speaks RFC 6455
// itself (websocket_frames.hpp), because fan-out is this server's hottest path: a room event is
// one shared payload that thousands of connections send, and each of them should cost one
// sendmsg() of [its 2–10 header bytes, the shared payload] and nothing else — no copy, no
// allocation, no hop through the connection's strand; a busy room's round of several events is
// still one sendmsg() of all their headers and payloads. So a frame is written directly by the
// thread that delivers it, under the connection's own mutex; only when the socket's buffer is
// full does the rest wait in a queue, written from the connection's strand when the socket
// drains. Reading (the client's frames, pings, close) stays on the strand.
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <deque>
#include <mutex>
#include <optional>
#include <span>

#include "http/server_impl.hpp"
#include "http/websocket_frames.hpp"

namespace veil::http {

namespace {

namespace bhttp = beast::http;
namespace ws = beast::websocket;

class WebSocketSession final : public Connection,
                               public WebSocketPeer,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(Server::Impl& server, beast::tcp_stream stream)
      : server_(server),
        strand_(stream.get_executor()),
        socket_(strand_),
        idle_timer_(strand_),
        handshake_(std::in_place, std::move(stream)),
        parser_(server.options.body_limit) {}
  ~WebSocketSession() override { server_.connection_gone(); }

  void start(bhttp::request<bhttp::string_body> raw, const Request& request,
             const WebSocketOpen& open) {
    auto opened = open(request, shared_from_this());
    if (auto* refusal = std::get_if<Response>(&opened))
      return refuse(std::move(*refusal), raw.version());
    listener_ = std::move(std::get<std::unique_ptr<WebSocketListener>>(opened));
    beast::get_lowest_layer(*handshake_).expires_never();
    handshake_->set_option(ws::stream_base::timeout::suggested(beast::role_type::server));
    // The upgrade request must outlive the asynchronous accept: keep it in the session.
    upgrade_request_ = std::move(raw);
    handshake_->async_accept(upgrade_request_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish();
      self->opened();
    });
  }

  void send(std::string text) override {
    send_shared(std::make_shared<const std::string>(std::move(text)));
  }

  void send_shared(const std::shared_ptr<const std::string>& frame) override {
    enqueue(WsOpcode::Text, frame);
  }

  void send_shared(std::span<const std::shared_ptr<const std::string>> frames) override {
    enqueue(WsOpcode::Text, frames);
  }

  // Frames already queued (a final error, the room's last event) are written first.
  void close() override {
    std::lock_guard lock(out_mutex_);
    if (out_state_ != OutState::Open) return;
    out_state_ = OutState::Closing;
    if (queue_.empty()) queue_close_locked(WsCloseCode::Normal);
  }

  void close_when_idle() override { close(); }

 private:
  // Open: frames are accepted. Closing: close() was called; the queue drains, then the close
  // frame follows. CloseSent: the close frame is queued; nothing else is. Closed: the socket is
  // shut (or about to be); frames are dropped.
  enum class OutState { Open, Closing, CloseSent, Closed };

  // One frame on its way: its own header and the payload it may share with other connections.
  struct Outgoing {
    std::shared_ptr<const std::string> payload;
    WsFrameHead head;
    std::size_t written = 0;  // bytes of head + payload already sent
    bool is_close = false;
  };

  static constexpr std::size_t kMaxQueuedFrames = 4096;
  static constexpr std::size_t kMaxGather = 32;  // frames per sendmsg (two buffers each)
  // Beast's suggested server timeouts, kept: a ping after 150 s without a byte from the client,
  // the connection closed after 300 s.
  static constexpr std::chrono::seconds kIdleHalf{150};

  void refuse(Response response, unsigned version) {
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version);
    out->set(bhttp::field::content_type, response.content_type);
    out->body() = std::move(response.body);
    out->keep_alive(false);
    out->prepare_payload();
    bhttp::async_write(handshake_->next_layer(), *out,
                       [self = shared_from_this(), out](beast::error_code, std::size_t) {
                         beast::error_code ignored;
                         self->handshake_->next_layer().socket().shutdown(
                             tcp::socket::shutdown_send, ignored);
                       });
  }

  // The upgrade is answered: from here on the socket is ours.
  void opened() {
    {
      std::lock_guard lock(out_mutex_);
      socket_ = handshake_->next_layer().release_socket();
      fd_ = socket_.native_handle();
      // Every frame leaves in one sendmsg, whole: Nagle would only hold the next one back until
      // the client's delayed ACK (up to 40 ms), as it did a frame after a frame.
      beast::error_code ignored;
      socket_.set_option(tcp::no_delay(true), ignored);
      // What a route sent before the upgrade was answered goes first.
      if (!queue_.empty() && !write_armed_) {
        if (!flush_locked())
          abort_locked();
        else if (!queue_.empty())
          arm_write_locked();
      }
    }
    handshake_.reset();
    arm_idle_timer();
    read();
  }

  // ----------------------------------------------------------------------- writing (any thread)

  // Frames are copied (a reference count each) only when the socket cannot take them at once.
  void enqueue(WsOpcode opcode, std::span<const std::shared_ptr<const std::string>> payloads) {
    std::lock_guard lock(out_mutex_);
    // Control frames (a pong) may still go out while a close() drains the queue.
    const bool accepted = out_state_ == OutState::Open ||
                          (opcode >= WsOpcode::Close && out_state_ == OutState::Closing);
    if (!accepted || payloads.empty()) return;
    // A reader that cannot keep up is disconnected rather than buffered without bound; it
    // resumes from its last sequence number when it reconnects.
    if (queue_.size() + payloads.size() > kMaxQueuedFrames) return abort_locked();
    std::size_t sent_frames = 0, partly_written = 0;
    if (fd_ >= 0 && queue_.empty() && !write_armed_) {
      // The common case: the socket takes every frame now, in one call, and nothing is stored.
      const std::size_t count = std::min(payloads.size(), kMaxGather);
      std::array<WsFrameHead, kMaxGather> heads;
      iovec parts[2 * kMaxGather];
      for (std::size_t i = 0; i < count; ++i) {
        heads[i] = ws_frame_head(opcode, payloads[i]->size());
        parts[2 * i] = {heads[i].bytes.data(), heads[i].size};
        parts[2 * i + 1] = {const_cast<char*>(payloads[i]->data()), payloads[i]->size()};
      }
      msghdr message{};
      message.msg_iov = parts;
      message.msg_iovlen = 2 * count;
      ssize_t sent = ::sendmsg(fd_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        return abort_locked();
      auto left = static_cast<std::size_t>(std::max<ssize_t>(sent, 0));
      for (; sent_frames < count; ++sent_frames) {
        const std::size_t whole = heads[sent_frames].size + payloads[sent_frames]->size();
        if (left < whole) break;
        left -= whole;
      }
      if (sent_frames == payloads.size()) return;
      partly_written = left;
    }
    for (std::size_t i = sent_frames; i < payloads.size(); ++i)
      queue_.push_back({payloads[i], ws_frame_head(opcode, payloads[i]->size()),
                        i == sent_frames ? partly_written : 0});
    // Before the upgrade is answered (fd_ < 0), opened() writes it.
    if (fd_ >= 0 && !write_armed_) arm_write_locked();
  }

  void enqueue(WsOpcode opcode, const std::shared_ptr<const std::string>& payload) {
    enqueue(opcode, std::span(&payload, 1));
  }

  // Writes what the socket takes from the queue, many frames per call. False on a socket error.
  bool flush_locked() {
    while (!queue_.empty()) {
      iovec parts[2 * kMaxGather];
      std::size_t count = 0;
      for (std::size_t i = 0; i < queue_.size() && i < kMaxGather; ++i) {
        const Outgoing& f = queue_[i];
        std::size_t skip = f.written;
        if (skip < f.head.size) {
          parts[count++] = {const_cast<char*>(f.head.bytes.data()) + skip, f.head.size - skip};
          skip = 0;
        } else {
          skip -= f.head.size;
        }
        parts[count++] = {const_cast<char*>(f.payload->data()) + skip, f.payload->size() - skip};
      }
      msghdr message{};
      message.msg_iov = parts;
      message.msg_iovlen = count;
      ssize_t sent = ::sendmsg(fd_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
      auto left = static_cast<std::size_t>(sent);
      while (left > 0) {
        Outgoing& f = queue_.front();
        std::size_t rest = f.head.size + f.payload->size() - f.written;
        if (left < rest) {
          f.written += left;
          break;
        }
        left -= rest;
        if (f.is_close) close_written_locked();
        queue_.pop_front();
      }
      if (queue_.empty() || queue_.front().written > 0) break;  // drained, or the socket is full
    }
    if (queue_.empty() && out_state_ == OutState::Closing) queue_close_locked(WsCloseCode::Normal);
    return true;
  }

  // Waits on the strand until the socket can take more; asio's socket object is touched only there.
  void arm_write_locked() {
    write_armed_ = true;
    asio::post(strand_, [self = shared_from_this()] {
      self->socket_.async_wait(tcp::socket::wait_write, [self](beast::error_code ec) {
        std::lock_guard lock(self->out_mutex_);
        self->write_armed_ = false;
        if (ec || self->fd_ < 0) return;
        if (!self->flush_locked()) return self->abort_locked();
        if (!self->queue_.empty()) self->arm_write_locked();
      });
    });
  }

  void queue_close_locked(WsCloseCode code) {
    out_state_ = OutState::CloseSent;
    auto payload = std::make_shared<const std::string>(ws_close_payload(code));
    Outgoing frame{payload, ws_frame_head(WsOpcode::Close, payload->size()), 0, true};
    queue_.push_back(std::move(frame));
    if (fd_ < 0) return;
    if (!write_armed_ && queue_.size() == 1) {
      if (!flush_locked()) return abort_locked();
      if (!queue_.empty()) arm_write_locked();
    } else if (!write_armed_) {
      arm_write_locked();
    }
  }

  // Our close frame is on the wire. When the client's already came the close handshake is
  // complete. Otherwise its answer is awaited, but not for long (Beast waited its handshake
  // timeout, 30 s). After a protocol error that answer cannot be parsed: the server says it is
  // done sending (FIN) and reads until the client closes too.
  void close_written_locked() {
    close_sent_ = true;
    if (protocol_failed_ && !peer_closed_) ::shutdown(fd_, SHUT_WR);
    const bool done = peer_closed_;
    asio::post(strand_, [self = shared_from_this(), done] {
      if (done) return self->finish();
      self->idle_timer_.expires_after(std::chrono::seconds(30));
      self->idle_timer_.async_wait([self](beast::error_code ec) {
        if (!ec) self->finish();
      });
    });
  }

  // The connection is beyond saving (a socket error, a reader far behind): drop what is queued
  // and shut the socket; the read loop then ends and finishes the connection on its strand.
  void abort_locked() {
    out_state_ = OutState::Closed;
    queue_.clear();
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  }

  // ----------------------------------------------------------------------- reading (strand)

  void read() {
    socket_.async_read_some(asio::buffer(read_buffer_), [self = shared_from_this()](
                                                            beast::error_code ec, std::size_t n) {
      if (ec) return self->finish();
      self->heard_from_peer_ = true;
      WsCloseCode failure = self->parser_.feed(
          std::string_view(self->read_buffer_.data(), n),
          [&](WsOpcode opcode, std::string_view payload) { self->on_frame(opcode, payload); });
      if (failure != WsCloseCode::Normal) self->fail(failure);
      if (!self->finished_) self->read();
    });
  }

  void on_frame(WsOpcode opcode, std::string_view payload) {
    switch (opcode) {
      case WsOpcode::Text: {
        bool open = false;
        {
          std::lock_guard lock(out_mutex_);
          open = out_state_ == OutState::Open;
        }
        // Once closing, what the client still sends is read and dropped (RFC 6455 §1.4).
        if (open && listener_) listener_->on_message(payload);
        return;
      }
      case WsOpcode::Ping:
        return enqueue(WsOpcode::Pong, std::make_shared<const std::string>(payload));
      case WsOpcode::Close: {
        bool done = false;
        {
          std::lock_guard lock(out_mutex_);
          peer_closed_ = true;
          if (close_sent_) {
            done = true;
          } else if (out_state_ == OutState::Open || out_state_ == OutState::Closing) {
            // Answer at once, dropping what was queued (but a frame half written): the client
            // is leaving.
            while (queue_.size() > 1 || (queue_.size() == 1 && queue_.front().written == 0))
              queue_.pop_back();
            queue_close_locked(WsCloseCode::Normal);
          }
        }
        if (done) finish();  // both close frames went: the close handshake is complete
        return;
      }
      default:
        return;  // binary messages are not part of any route's protocol; pongs need no answer
    }
  }

  // The client broke the protocol: tell it why and close.
  void fail(WsCloseCode code) {
    std::lock_guard lock(out_mutex_);
    if (out_state_ == OutState::CloseSent || out_state_ == OutState::Closed) return;
    protocol_failed_ = true;
    queue_close_locked(code);
  }

  void arm_idle_timer() {
    idle_timer_.expires_after(kIdleHalf);
    idle_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->finished_) return;
      if (self->heard_from_peer_) {
        self->heard_from_peer_ = false;
        self->ping_sent_ = false;
      } else if (!self->ping_sent_) {
        self->ping_sent_ = true;
        self->enqueue(WsOpcode::Ping, std::make_shared<const std::string>());
      } else {
        std::lock_guard lock(self->out_mutex_);
        return self->abort_locked();
      }
      self->arm_idle_timer();
    });
  }

  // The connection is over: it leaves its route (the room) first and only then is the socket
  // closed, so a client that sees the connection end can count on the server having let it go.
  void finish() {
    if (finished_) return;
    finished_ = true;
    {
      std::lock_guard lock(out_mutex_);
      out_state_ = OutState::Closed;
      queue_.clear();
    }
    idle_timer_.cancel();
    if (listener_) {
      listener_->on_close();
      listener_.reset();
    }
    std::lock_guard lock(out_mutex_);
    fd_ = -1;
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  Server::Impl& server_;
  asio::any_io_executor strand_;   // the connection's strand (a copy: any thread may post)
  tcp::socket socket_;             // after the upgrade; strand only
  asio::steady_timer idle_timer_;  // keep-alive pings, and the wait for a close answer
  std::optional<ws::stream<beast::tcp_stream>> handshake_;  // until the upgrade is answered
  bhttp::request<bhttp::string_body> upgrade_request_;
  std::unique_ptr<WebSocketListener> listener_;
  WsClientParser parser_;  // strand only
  std::array<char, 16 * 1024> read_buffer_{};
  bool finished_ = false;         // strand only
  bool heard_from_peer_ = false;  // strand only
  bool ping_sent_ = false;        // strand only

  std::mutex out_mutex_;  // guards everything below: writers are any thread
  int fd_ = -1;           // the socket's descriptor while it may be written
  OutState out_state_ = OutState::Open;
  std::deque<Outgoing> queue_;    // what the socket has not taken yet, in order
  bool write_armed_ = false;      // a wait for writability is pending on the strand
  bool close_sent_ = false;       // our close frame is fully written
  bool peer_closed_ = false;      // the client's close frame arrived
  bool protocol_failed_ = false;  // we close because the client broke the protocol
};

}  // namespace

void start_websocket_session(Server::Impl& server, beast::tcp_stream stream,
                             bhttp::request<bhttp::string_body> raw, Request parsed,
                             const WebSocketOpen& open) {
  auto session = std::make_shared<WebSocketSession>(server, std::move(stream));
  server.track(session);
  session->start(std::move(raw), parsed, open);
}

}  // namespace veil::http
