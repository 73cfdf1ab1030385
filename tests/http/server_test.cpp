// The HTTP server on its own: graceful drain, WebSocket frames, metrics by route pattern.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "http/curl_http_client.hpp"
#include "http/server.hpp"

namespace veil::http {
namespace {

struct Running {
  Router router;
  Metrics metrics;
  std::unique_ptr<Server> server;
  std::thread thread;
  void start() {
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    auto created = Server::create(options, router, metrics);
    ASSERT_TRUE(created.ok());
    server = std::move(created).value();
    thread = std::thread([this] { server->run(false); });
  }
  ~Running() {
    if (server) server->stop();
    if (thread.joinable()) thread.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(server->port()) + path; }
};

Result<HttpResponse> get(const std::string& url) {
  CurlHttpClient client;
  HttpRequest r;
  r.method = "GET";
  r.url = url;
  return client.send(r);
}

TEST(Server, ShutdownLetsAnInFlightRequestFinish) {
  Running s;
  std::promise<void> entered;
  s.router.add("GET", "/slow", [&entered](Request&) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    return Response::text(200, "done");
  });
  s.start();
  auto reply = std::async(std::launch::async, [&] { return get(s.url("/slow")); });
  entered.get_future().wait();
  s.server->stop();  // while the handler is still sleeping
  auto r = reply.get();
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done");
  s.thread.join();  // run() returned: the drain completed
  EXPECT_FALSE(get(s.url("/slow")).ok()) << "no new connections after the drain";
}

TEST(Server, MetricsCountRequestsByRoutePatternNotByPath) {
  Running s;
  s.router.add("GET", "/items/{id}", [](Request& r) { return Response::text(200, r.params["id"]); });
  s.start();
  ASSERT_EQ(get(s.url("/items/13800138000"))->body, "13800138000");
  ASSERT_TRUE(get(s.url("/items/2")).ok());
  std::string text = s.metrics.render();
  EXPECT_NE(text.find("veil_http_requests_total{route=\"/items/{id}\",method=\"GET\",status=\"200\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("veil_http_request_duration_seconds_count{route=\"/items/{id}\",method=\"GET\"} 2"), std::string::npos);
  EXPECT_EQ(text.find("13800138000"), std::string::npos) << "raw paths never reach the metrics";
}

TEST(Server, UnknownPathAndWrongMethodAreAnsweredNotDropped) {
  Running s;
  s.router.add("POST", "/only-post", [](Request&) { return Response::text(200, "ok"); });
  s.start();
  EXPECT_EQ(get(s.url("/only-post"))->status, 405);
  EXPECT_EQ(get(s.url("/nowhere"))->status, 404);
}

TEST(Server, ARouteMayAcceptALargerBodyThanTheDefault) {
  Running s;
  auto size_of = [](Request& r) { return Response::text(200, std::to_string(r.body.size())); };
  s.router.add("POST", "/upload", size_of, 512 * 1024);
  s.router.add("POST", "/small", size_of);
  s.start();
  CurlHttpClient client;
  HttpRequest r;
  r.body = std::string(200 * 1024, 'x');
  r.url = s.url("/upload?x=1");
  auto big = client.send(r);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->status, 200);
  EXPECT_EQ(big->body, std::to_string(200 * 1024));
  r.url = s.url("/small");
  EXPECT_EQ(client.send(r)->status, 413) << "the default limit still holds elsewhere";
  r.url = s.url("/upload");
  r.body = std::string(600 * 1024, 'x');
  EXPECT_EQ(client.send(r)->status, 413);
}

class Echo final : public WebSocketListener {
 public:
  explicit Echo(std::shared_ptr<WebSocketPeer> peer) : peer_(std::move(peer)) {}
  void on_message(std::string_view text) override { peer_->send("echo:" + std::string(text)); }
  void on_close() override {}

 private:
  std::shared_ptr<WebSocketPeer> peer_;
};

TEST(Server, WebSocketRouteReceivesAndSendsTextFrames) {
  Running s;
  s.router.add_websocket("/ws/{room}", [](const Request& r, std::shared_ptr<WebSocketPeer> peer)
                                           -> std::variant<Response, std::unique_ptr<WebSocketListener>> {
    if (r.params.at("room") == "closed") return Response::text(403, "no");
    return std::make_unique<Echo>(std::move(peer));
  });
  s.start();
  namespace beast = boost::beast;
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  beast::websocket::stream<boost::asio::ip::tcp::socket> ws(io);
  boost::asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(s.server->port())));
  ws.handshake("127.0.0.1", "/ws/lobby");
  ws.write(boost::asio::buffer(std::string("hello")));
  beast::flat_buffer buffer;
  ws.read(buffer);
  EXPECT_EQ(beast::buffers_to_string(buffer.data()), "echo:hello");
  ws.close(beast::websocket::close_code::normal);

  beast::websocket::stream<boost::asio::ip::tcp::socket> refused(io);
  boost::asio::connect(refused.next_layer(), resolver.resolve("127.0.0.1", std::to_string(s.server->port())));
  beast::error_code ec;
  refused.handshake("127.0.0.1", "/ws/closed", ec);
  EXPECT_TRUE(ec) << "a refused upgrade must not open a WebSocket";
}

// Frame i of a "round": 5 B, 300 B or 200 KiB (2-, 4- and 10-byte headers), starting with i.
std::string round_frame(int i) {
  static constexpr std::size_t kSizes[] = {5, 300, 200 * 1024};
  std::string text = std::to_string(i) + ":";
  text.resize(kSizes[i % 3], static_cast<char>('a' + i % 26));
  return text;
}

// A route for the connection's own behaviours: "flood N" answers with N frames of 4 KiB,
// "round N" with N frames written together (sizes cycling through every header length),
// "bye" with one last frame and a close; anything else is echoed.
class Talker final : public WebSocketListener {
 public:
  explicit Talker(std::shared_ptr<WebSocketPeer> peer) : peer_(std::move(peer)) {}
  void on_message(std::string_view text) override {
    if (text.rfind("flood ", 0) == 0) {
      auto frame = std::make_shared<const std::string>(4096, 'f');
      for (int i = std::stoi(std::string(text.substr(6))); i > 0; --i) peer_->send_shared(frame);
    } else if (text.rfind("round ", 0) == 0) {
      std::vector<std::shared_ptr<const std::string>> frames;
      for (int i = 0, n = std::stoi(std::string(text.substr(6))); i < n; ++i)
        frames.push_back(std::make_shared<const std::string>(round_frame(i)));
      peer_->send_shared(frames);
    } else if (text == "bye") {
      peer_->send("last");
      peer_->close();
    } else {
      peer_->send("echo:" + std::string(text));
    }
  }
  void on_close() override {}

 private:
  std::shared_ptr<WebSocketPeer> peer_;
};

struct TalkerServer : Running {
  TalkerServer() {
    router.add_websocket("/talk", [](const Request&, std::shared_ptr<WebSocketPeer> peer)
                                      -> std::variant<Response, std::unique_ptr<WebSocketListener>> {
      return std::make_unique<Talker>(std::move(peer));
    });
    start();
  }
};

using ClientSocket = boost::beast::websocket::stream<boost::asio::ip::tcp::socket>;

void open_talk(ClientSocket& ws, unsigned short port) {
  boost::asio::ip::tcp::resolver resolver(ws.get_executor());
  boost::asio::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
  ws.handshake("127.0.0.1", "/talk");
}

std::string read_text(ClientSocket& ws, boost::beast::error_code& ec) {
  boost::beast::flat_buffer buffer;
  ws.read(buffer, ec);
  return boost::beast::buffers_to_string(buffer.data());
}

TEST(Server, WebSocketAnswersPingsAndClosesAfterItsLastQueuedFrame) {
  TalkerServer s;
  boost::asio::io_context io;
  ClientSocket ws(io);
  open_talk(ws, s.server->port());
  std::string pong;
  ws.control_callback([&](boost::beast::websocket::frame_type kind, boost::beast::string_view payload) {
    if (kind == boost::beast::websocket::frame_type::pong) pong = std::string(payload);
  });
  ws.ping("are you there");
  ws.write(boost::asio::buffer(std::string("hi")));
  boost::beast::error_code ec;
  EXPECT_EQ(read_text(ws, ec), "echo:hi");
  EXPECT_EQ(pong, "are you there");
  ws.write(boost::asio::buffer(std::string("bye")));
  EXPECT_EQ(read_text(ws, ec), "last") << "what was queued before close() is written first";
  read_text(ws, ec);
  EXPECT_EQ(ec, boost::beast::websocket::error::closed);
  EXPECT_EQ(ws.reason().code, boost::beast::websocket::close_code::normal);
}

TEST(Server, AWebSocketRoundOfManyFramesArrivesWholeAndInOrder) {
  TalkerServer s;
  boost::asio::io_context io;
  ClientSocket ws(io);
  open_talk(ws, s.server->port());
  // 100 frames, 6.7 MB: more than one gathered write holds and more than the socket takes at
  // once, so the rest waits in the queue, part of a frame written and the remainder after.
  ws.write(boost::asio::buffer(std::string("round 100")));
  boost::beast::error_code ec;
  for (int i = 0; i < 100; ++i) {
    std::string text = read_text(ws, ec);
    ASSERT_FALSE(ec) << "frame " << i << ": " << ec.message();
    ASSERT_EQ(text, round_frame(i)) << "frame " << i;
  }
  ws.write(boost::asio::buffer(std::string("still there?")));
  EXPECT_EQ(read_text(ws, ec), "echo:still there?");
}

TEST(Server, WebSocketTextThatIsNotUtf8EndsTheConnection) {
  TalkerServer s;
  boost::asio::io_context io;
  ClientSocket ws(io);
  open_talk(ws, s.server->port());
  ws.write(boost::asio::buffer(std::string("\xC3\x28", 2)));
  boost::beast::error_code ec;
  std::string text = read_text(ws, ec);
  EXPECT_EQ(ec, boost::beast::websocket::error::closed) << "got " << text;
  EXPECT_EQ(ws.reason().code, boost::beast::websocket::close_code::bad_payload);
}

TEST(Server, AWebSocketReaderThatFallsFarBehindIsDisconnectedNotBufferedWithoutBound) {
  TalkerServer s;
  boost::asio::io_context io;
  ClientSocket ws(io);
  open_talk(ws, s.server->port());
  // 20,000 frames of 4 KiB while this client reads nothing: the socket buffers fill, then the
  // server's queue (4,096 frames), and the server gives up on the connection.
  ws.write(boost::asio::buffer(std::string("flood 20000")));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int frames = 0;
  boost::beast::error_code ec;
  while (!ec && frames < 20000) {
    read_text(ws, ec);
    if (!ec) ++frames;
  }
  EXPECT_TRUE(ec) << "the connection should have been closed";
  EXPECT_LT(frames, 20000);
}

}  // namespace
}  // namespace veil::http
