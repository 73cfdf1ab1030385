#pragma once
// RFC 6455 framing for the server's side of a WebSocket, after the handshake: the header of a
// frame the server sends (never masked, so the same payload bytes go to every connection), and
// an incremental parser of what clients send (always masked). No extensions are negotiated, so
// the reserved bits must be clear.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace veil::http {

enum class WsOpcode : std::uint8_t {
  Continuation = 0,
  Text = 1,
  Binary = 2,
  Close = 8,
  Ping = 9,
  Pong = 10
};

// Close codes this server sends (RFC 6455 §7.4.1).
enum class WsCloseCode : std::uint16_t {
  Normal = 1000,
  ProtocolError = 1002,
  InvalidPayload = 1007,  // a text message that is not UTF-8
  TooBig = 1009,
};

// The header of a server frame with FIN set: 2, 4 or 10 bytes.
struct WsFrameHead {
  std::array<char, 10> bytes{};
  std::uint8_t size = 0;
};
WsFrameHead ws_frame_head(WsOpcode opcode, std::size_t payload_size);

// A close frame's payload: the code, big-endian.
std::string ws_close_payload(WsCloseCode code);

bool valid_utf8(std::string_view text);

// Client frames, parsed from whatever each read returned. Fragmented messages are joined;
// control frames (close, ping, pong) come out as they arrive, also between fragments.
class WsClientParser {
 public:
  // `message_limit`: the largest message accepted, in bytes (the route's body limit).
  explicit WsClientParser(std::size_t message_limit) : message_limit_(message_limit) {}

  using OnMessage = std::function<void(WsOpcode, std::string_view payload)>;
  // Feeds the bytes; calls on_message for every complete message. Returns the close code the
  // connection must end with when the peer broke the protocol, Normal when all is well. Once it
  // failed, the parser stays failed.
  WsCloseCode feed(std::string_view bytes, const OnMessage& on_message);

 private:
  WsCloseCode frame(bool fin, WsOpcode opcode, std::string payload, const OnMessage& on_message);

  std::size_t message_limit_;
  std::string pending_;  // bytes of a frame not complete yet
  std::string message_;  // a fragmented message so far
  WsOpcode message_opcode_ = WsOpcode::Continuation;
  bool in_message_ = false;
  WsCloseCode failed_ = WsCloseCode::Normal;
};

}  // namespace veil::http
