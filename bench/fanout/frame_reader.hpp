#pragma once
// The client's side of RFC 6455 framing, as much as a load tool needs: server frames (unmasked)
// are parsed incrementally from whatever a read() returned, fragments are joined into messages,
// and client frames are encoded masked, as a client must send them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace veil::bench::fanout {

enum class Opcode : std::uint8_t {
  Continuation = 0,
  Text = 1,
  Binary = 2,
  Close = 8,
  Ping = 9,
  Pong = 10
};

struct FrameHeader {
  bool fin = false;
  Opcode opcode = Opcode::Continuation;
  std::size_t header_size = 0;  // bytes before the payload
  std::uint64_t payload_size = 0;
};

// The header at the start of `bytes`: nullopt while it is incomplete. A masked frame (never sent
// by a server) or a reserved bit set (no extension was negotiated) is reported by `error`.
std::optional<FrameHeader> parse_frame_header(std::string_view bytes, bool& error);

// A masked client frame with one payload (FIN set). `mask` is the masking key.
std::string encode_client_frame(Opcode opcode, std::string_view payload, std::uint32_t mask);

class FrameReader {
 public:
  // Calls on_message(Opcode, std::string_view payload) for each complete message in the bytes
  // received so far; a payload view is valid only during the call. Returns false on a protocol
  // error (the connection should be dropped).
  template <class OnMessage>
  bool feed(std::string_view bytes, OnMessage&& on_message);

 private:
  template <class OnMessage>
  bool frame(const FrameHeader& header, std::string_view payload, OnMessage& on_message);

  std::string pending_;    // an incomplete frame's bytes, kept until the rest arrives
  std::string fragments_;  // a fragmented message's payload so far
  Opcode fragmented_ = Opcode::Continuation;
  bool in_fragments_ = false;
};

template <class OnMessage>
bool FrameReader::feed(std::string_view bytes, OnMessage&& on_message) {
  // The common case, whole frames in one read, is parsed in place; only a tail is copied.
  const bool joined = !pending_.empty();
  if (joined) pending_.append(bytes);
  std::string_view input = joined ? std::string_view(pending_) : bytes;
  std::size_t used = 0;
  bool ok = true;
  while (used < input.size()) {
    bool error = false;
    auto header = parse_frame_header(input.substr(used), error);
    if (error) {
      ok = false;
      break;
    }
    if (!header || input.size() - used - header->header_size < header->payload_size) break;
    std::string_view payload = input.substr(used + header->header_size, header->payload_size);
    used += header->header_size + header->payload_size;
    if (!frame(*header, payload, on_message)) {
      ok = false;
      break;
    }
  }
  if (!ok) {
    pending_.clear();
    return false;
  }
  if (joined)
    pending_.erase(0, used);
  else
    pending_.assign(input.substr(used));
  return true;
}

template <class OnMessage>
bool FrameReader::frame(const FrameHeader& header, std::string_view payload,
                        OnMessage& on_message) {
  const bool control = static_cast<std::uint8_t>(header.opcode) >= 8;
  if (control) {
    // Control frames may arrive between the fragments of a message; they are never fragmented.
    if (!header.fin || payload.size() > 125) return false;
    on_message(header.opcode, payload);
    return true;
  }
  if (header.opcode == Opcode::Continuation) {
    if (!in_fragments_) return false;
    fragments_.append(payload);
    if (header.fin) {
      in_fragments_ = false;
      on_message(fragmented_, std::string_view(fragments_));
      fragments_.clear();
    }
    return true;
  }
  if (in_fragments_) return false;  // a new message before the last one ended
  if (header.fin) {
    on_message(header.opcode, payload);
    return true;
  }
  in_fragments_ = true;
  fragmented_ = header.opcode;
  fragments_.assign(payload);
  return true;
}

}  // namespace veil::bench::fanout
