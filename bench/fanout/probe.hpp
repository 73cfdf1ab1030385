#pragma once
// The probe a sender posts: a comment whose text carries the send time, so every receiver can
// tell how long the fan-out took. "fb <send time, ns of CLOCK_MONOTONIC> <sender> <number>".
// Both servers deliver it inside a JSON text frame: Veil as the comment's "text" field, the
// reference as the very frame the sender wrote.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace veil::bench::fanout {

struct Probe {
  std::int64_t sent_ns = 0;
  int sender = 0;
  std::int64_t number = 0;
};

// The JSON frame a sender writes: {"type":"comment","text":"fb …"}.
std::string probe_message(const Probe& probe);
// The probe inside a received frame, or nullopt when the frame carries none.
std::optional<Probe> find_probe(std::string_view frame);
// The value of the first "code":"…" in an error frame (e.g. message_rate_limited), or "".
std::string error_code_of(std::string_view frame);

}  // namespace veil::bench::fanout
