#include "app/room_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace veil::test {

namespace beast = boost::beast;
namespace asio = boost::asio;

struct RoomClient::Impl {
  asio::io_context io;
  beast::websocket::stream<asio::ip::tcp::socket> ws{io};
  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<nlohmann::json> frames;
  bool closed = false;
  std::thread reader;
};

RoomClient::RoomClient(unsigned short port, const std::string& room_id) : impl_(std::make_unique<Impl>()) {
  asio::ip::tcp::resolver resolver(impl_->io);
  asio::connect(impl_->ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
  impl_->ws.handshake("127.0.0.1", "/api/v1/rooms/" + room_id + "/channel");
  impl_->reader = std::thread([impl = impl_.get()] {
    for (;;) {
      beast::flat_buffer buffer;
      beast::error_code ec;
      impl->ws.read(buffer, ec);
      std::lock_guard lock(impl->mutex);
      if (ec) {
        impl->closed = true;
        impl->arrived.notify_all();
        return;
      }
      impl->frames.push_back(nlohmann::json::parse(beast::buffers_to_string(buffer.data()), nullptr, false));
      impl->arrived.notify_all();
    }
  });
}

RoomClient::~RoomClient() {
  close();
  impl_->reader.join();
}

void RoomClient::send(const nlohmann::json& message) { send_raw(message.dump()); }

void RoomClient::send_raw(const std::string& text) {
  beast::error_code ec;
  impl_->ws.write(asio::buffer(text), ec);
}

std::optional<nlohmann::json> RoomClient::next(const std::string& type, std::chrono::milliseconds wait) {
  std::unique_lock lock(impl_->mutex);
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    while (!impl_->frames.empty()) {
      nlohmann::json f = std::move(impl_->frames.front());
      impl_->frames.pop_front();
      if (f.is_object() && f.value("type", "") == type) return f;
    }
    if (impl_->closed) return std::nullopt;
    if (impl_->arrived.wait_until(lock, deadline) == std::cv_status::timeout && impl_->frames.empty()) return std::nullopt;
  }
}

std::deque<nlohmann::json> RoomClient::drain() {
  std::lock_guard lock(impl_->mutex);
  return std::exchange(impl_->frames, {});
}

bool RoomClient::closed() {
  std::lock_guard lock(impl_->mutex);
  return impl_->closed;
}

void RoomClient::close() {
  beast::error_code ec;
  impl_->ws.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
}

}  // namespace veil::test
