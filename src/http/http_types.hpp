#pragma once
// Requests and responses as the rest of Veil sees them: plain structs, no Beast. The server in
// this folder converts to and from the wire.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace veil::http {

struct Request {
  std::string method;
  std::string path;   // without the query string, not percent-decoded
  std::string query;  // raw, without '?'
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string client_address;                  // personal: never log it
  std::map<std::string, std::string> params;   // path parameters filled by the router

  std::string header(std::string_view name) const;  // any case
  std::optional<std::string> query_param(std::string_view name) const;  // percent-decoded
  std::string bearer_token() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response empty(int status) { return Response{status, "", "", {}}; }
};

using Handler = std::function<Response(Request&)>;

// WebSocket: the server hands each accepted connection a peer to send through, and feeds the
// listener the route created.
class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  virtual void send(std::string text) = 0;  // thread-safe, queued
  // The same frame to many peers: serialised once, shared, never copied per peer. Thread-safe;
  // the peer keeps a reference only while the frame waits for its socket.
  virtual void send_shared(const std::shared_ptr<const std::string>& frame) = 0;
  // Several such frames, in order, written together: one system call and, on TCP, usually one
  // segment for all of them.
  virtual void send_shared(std::span<const std::shared_ptr<const std::string>> frames) = 0;
  virtual void close() = 0;
};

class WebSocketListener {
 public:
  virtual ~WebSocketListener() = default;
  virtual void on_message(std::string_view text) = 0;
  virtual void on_close() = 0;
};

// A route either refuses the upgrade with a response or returns a listener for the connection.
using WebSocketOpen = std::function<std::variant<Response, std::unique_ptr<WebSocketListener>>(
    const Request&, std::shared_ptr<WebSocketPeer>)>;

std::string percent_decode(std::string_view text);

}  // namespace veil::http
