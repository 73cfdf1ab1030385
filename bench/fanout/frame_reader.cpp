#include "fanout/frame_reader.hpp"

namespace veil::bench::fanout {

std::optional<FrameHeader> parse_frame_header(std::string_view bytes, bool& error) {
  error = false;
  if (bytes.size() < 2) return std::nullopt;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(bytes[i]); };
  FrameHeader h;
  h.fin = (byte(0) & 0x80) != 0;
  h.opcode = static_cast<Opcode>(byte(0) & 0x0F);
  if ((byte(0) & 0x70) != 0 || (byte(1) & 0x80) != 0) {
    error = true;
    return std::nullopt;
  }
  const std::uint8_t length = byte(1) & 0x7F;
  h.header_size = length == 126 ? 4 : length == 127 ? 10 : 2;
  if (bytes.size() < h.header_size) return std::nullopt;
  if (length < 126) {
    h.payload_size = length;
  } else {
    for (std::size_t i = 2; i < h.header_size; ++i)
      h.payload_size = (h.payload_size << 8) | byte(i);
  }
  return h;
}

std::string encode_client_frame(Opcode opcode, std::string_view payload, std::uint32_t mask) {
  std::string out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode)));
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(0x80 | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((payload.size() >> shift) & 0xFF));
  }
  const char key[4] = {static_cast<char>(mask >> 24), static_cast<char>(mask >> 16),
                       static_cast<char>(mask >> 8), static_cast<char>(mask)};
  out.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    out.push_back(static_cast<char>(payload[i] ^ key[i % 4]));
  return out;
}

}  // namespace veil::bench::fanout
