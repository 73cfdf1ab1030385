// RFC 6455 framing on the server's side (src/http/websocket_frames): what clients send is
// parsed however the bytes arrive, and every way a client can break the protocol ends with the
// right close code.
#include "http/websocket_frames.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace veil::http {
namespace {

// A client frame: masked with a fixed key.
std::string client_frame(WsOpcode opcode, std::string_view payload, bool fin = true,
                         bool masked = true) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | static_cast<int>(opcode)));
  const char mask_bit = masked ? static_cast<char>(0x80) : 0;
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(mask_bit | static_cast<char>(payload.size())));
  } else if (payload.size() <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((payload.size() >> shift) & 0xFF));
  }
  const char key[4] = {0x12, 0x34, 0x56, 0x78};
  if (masked) out.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    out.push_back(masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i]);
  return out;
}

struct Received {
  WsOpcode opcode;
  std::string payload;
};

WsCloseCode feed(WsClientParser& parser, std::string_view bytes, std::vector<Received>& out) {
  return parser.feed(bytes, [&](WsOpcode op, std::string_view p) {
    out.push_back({op, std::string(p)});
  });
}

TEST(WebSocketFrames, ServerHeadsUseTheShortestLength) {
  EXPECT_EQ(ws_frame_head(WsOpcode::Text, 125).size, 2);
  EXPECT_EQ(static_cast<unsigned char>(ws_frame_head(WsOpcode::Text, 125).bytes[0]), 0x81);
  auto mid = ws_frame_head(WsOpcode::Text, 300);
  ASSERT_EQ(mid.size, 4);
  EXPECT_EQ(static_cast<unsigned char>(mid.bytes[1]), 126);
  EXPECT_EQ(
      (static_cast<unsigned char>(mid.bytes[2]) << 8) | static_cast<unsigned char>(mid.bytes[3]),
      300);
  auto big = ws_frame_head(WsOpcode::Binary, 70'000);
  ASSERT_EQ(big.size, 10);
  EXPECT_EQ(static_cast<unsigned char>(big.bytes[0]), 0x82);
  EXPECT_EQ(static_cast<unsigned char>(big.bytes[1]), 127);
  EXPECT_EQ((static_cast<unsigned char>(big.bytes[7]) << 16) |
                (static_cast<unsigned char>(big.bytes[8]) << 8) |
                static_cast<unsigned char>(big.bytes[9]),
            70'000);
  EXPECT_EQ(ws_close_payload(WsCloseCode::TooBig), std::string("\x03\xF1", 2));
}

TEST(WebSocketFrames, AClientMessageIsUnmaskedHoweverTheBytesArrive) {
  std::string payload = "你好, " + std::string(200, 'x');
  std::string bytes = client_frame(WsOpcode::Text, payload) + client_frame(WsOpcode::Text, "two");
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    WsClientParser parser(64 * 1024);
    std::vector<Received> got;
    ASSERT_EQ(feed(parser, bytes.substr(0, cut), got), WsCloseCode::Normal);
    ASSERT_EQ(feed(parser, bytes.substr(cut), got), WsCloseCode::Normal);
    ASSERT_EQ(got.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(got[0].payload, payload);
    EXPECT_EQ(got[1].payload, "two");
  }
}

TEST(WebSocketFrames, FragmentsAreJoinedAndControlFramesPassBetweenThem) {
  WsClientParser parser(1024);
  std::vector<Received> got;
  std::string bytes = client_frame(WsOpcode::Text, "hel", false) +
                      client_frame(WsOpcode::Ping, "p") +
                      client_frame(WsOpcode::Continuation, "lo");
  ASSERT_EQ(feed(parser, bytes, got), WsCloseCode::Normal);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].opcode, WsOpcode::Ping);
  EXPECT_EQ(got[0].payload, "p");
  EXPECT_EQ(got[1].opcode, WsOpcode::Text);
  EXPECT_EQ(got[1].payload, "hello");
}

TEST(WebSocketFrames, BrokenFramesEndTheConnectionWithTheirCode) {
  std::vector<Received> got;
  WsClientParser unmasked(1024);
  EXPECT_EQ(feed(unmasked, client_frame(WsOpcode::Text, "hi", true, false), got),
            WsCloseCode::ProtocolError);
  EXPECT_EQ(feed(unmasked, client_frame(WsOpcode::Text, "hi"), got), WsCloseCode::ProtocolError)
      << "stays failed";
  WsClientParser stray(1024);
  EXPECT_EQ(feed(stray, client_frame(WsOpcode::Continuation, "x"), got),
            WsCloseCode::ProtocolError);
  WsClientParser reserved(1024);
  EXPECT_EQ(feed(reserved, client_frame(static_cast<WsOpcode>(3), "x"), got),
            WsCloseCode::ProtocolError);
  WsClientParser fragmented_ping(1024);
  EXPECT_EQ(feed(fragmented_ping, client_frame(WsOpcode::Ping, "x", false), got),
            WsCloseCode::ProtocolError);
  WsClientParser too_big(100);
  EXPECT_EQ(feed(too_big, client_frame(WsOpcode::Text, std::string(101, 'a')).substr(0, 8), got),
            WsCloseCode::TooBig)
      << "refused from the header, before the payload arrives";
  WsClientParser too_big_in_parts(100);
  EXPECT_EQ(feed(too_big_in_parts,
                 client_frame(WsOpcode::Text, std::string(60, 'a'), false) +
                     client_frame(WsOpcode::Continuation, std::string(60, 'a')),
                 got),
            WsCloseCode::TooBig);
  WsClientParser not_utf8(1024);
  EXPECT_EQ(feed(not_utf8, client_frame(WsOpcode::Text, "\xC3\x28"), got),
            WsCloseCode::InvalidPayload);
  EXPECT_TRUE(got.empty()) << "nothing broken reaches the route";
  WsClientParser binary(1024);
  EXPECT_EQ(feed(binary, client_frame(WsOpcode::Binary, "\xC3\x28"), got), WsCloseCode::Normal)
      << "binary is not text";
}

TEST(WebSocketFrames, Utf8Validation) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ascii"));
  EXPECT_TRUE(valid_utf8("简历怎么写？"));
  EXPECT_TRUE(valid_utf8("\xF0\x9F\x98\x80"));   // U+1F600
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(valid_utf8("\xE4\xBD"));          // cut short
  EXPECT_FALSE(valid_utf8("\xFF"));
}

}  // namespace
}  // namespace veil::http
