#include "http/websocket_frames.hpp"

namespace veil::http {

WsFrameHead ws_frame_head(WsOpcode opcode, std::size_t payload_size) {
  WsFrameHead head;
  head.bytes[0] = static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode));
  if (payload_size < 126) {
    head.bytes[1] = static_cast<char>(payload_size);
    head.size = 2;
  } else if (payload_size <= 0xFFFF) {
    head.bytes[1] = 126;
    head.bytes[2] = static_cast<char>(payload_size >> 8);
    head.bytes[3] = static_cast<char>(payload_size & 0xFF);
    head.size = 4;
  } else {
    head.bytes[1] = 127;
    for (int i = 0; i < 8; ++i)
      head.bytes[2 + i] =
          static_cast<char>((static_cast<std::uint64_t>(payload_size) >> (56 - 8 * i)) & 0xFF);
    head.size = 10;
  }
  return head;
}

std::string ws_close_payload(WsCloseCode code) {
  auto value = static_cast<std::uint16_t>(code);
  return {static_cast<char>(value >> 8), static_cast<char>(value & 0xFF)};
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > n) return false;
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kSmallest[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
      return false;
    i += length;
  }
  return true;
}

WsCloseCode WsClientParser::feed(std::string_view bytes, const OnMessage& on_message) {
  if (failed_ != WsCloseCode::Normal) return failed_;
  pending_.append(bytes);
  std::size_t used = 0;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(pending_[used + i]); };
  while (pending_.size() - used >= 2) {
    const std::size_t available = pending_.size() - used;
    const bool fin = (byte(0) & 0x80) != 0;
    const auto opcode = static_cast<WsOpcode>(byte(0) & 0x0F);
    const std::uint8_t code = byte(0) & 0x0F;
    // Reserved bits (no extension was negotiated), reserved opcodes, unmasked client frames.
    if ((byte(0) & 0x70) != 0 || (code > 2 && code < 8) || code > 10 || (byte(1) & 0x80) == 0)
      return failed_ = WsCloseCode::ProtocolError;
    const std::uint8_t length7 = byte(1) & 0x7F;
    const std::size_t length_bytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    const std::size_t head = 2 + length_bytes + 4;
    if (available < head) break;
    std::uint64_t length = length7;
    if (length_bytes > 0) {
      length = 0;
      for (std::size_t k = 0; k < length_bytes; ++k) length = (length << 8) | byte(2 + k);
    }
    const bool control = code >= 8;
    if (control && (!fin || length > 125)) return failed_ = WsCloseCode::ProtocolError;
    const std::uint64_t so_far = control ? 0 : (in_message_ ? message_.size() : 0);
    if (length > message_limit_ || so_far + length > message_limit_)
      return failed_ = WsCloseCode::TooBig;
    if (available - head < length) break;
    const char* mask = pending_.data() + used + head - 4;
    std::string payload(pending_.data() + used + head, static_cast<std::size_t>(length));
    for (std::size_t k = 0; k < payload.size(); ++k)
      payload[k] = static_cast<char>(payload[k] ^ mask[k % 4]);
    used += head + static_cast<std::size_t>(length);
    if (auto result = frame(fin, opcode, std::move(payload), on_message);
        result != WsCloseCode::Normal)
      return failed_ = result;
  }
  pending_.erase(0, used);
  return WsCloseCode::Normal;
}

WsCloseCode WsClientParser::frame(bool fin, WsOpcode opcode, std::string payload,
                                  const OnMessage& on_message) {
  if (static_cast<std::uint8_t>(opcode) >= 8) {
    on_message(opcode, payload);
    return WsCloseCode::Normal;
  }
  if (opcode == WsOpcode::Continuation) {
    if (!in_message_) return WsCloseCode::ProtocolError;
    message_ += payload;
  } else {
    if (in_message_) return WsCloseCode::ProtocolError;  // a new message before the last one ended
    in_message_ = true;
    message_opcode_ = opcode;
    message_ = std::move(payload);
  }
  if (!fin) return WsCloseCode::Normal;
  in_message_ = false;
  std::string complete = std::move(message_);
  message_.clear();
  if (message_opcode_ == WsOpcode::Text && !valid_utf8(complete))
    return WsCloseCode::InvalidPayload;
  on_message(message_opcode_, complete);
  return WsCloseCode::Normal;
}

}  // namespace veil::http
