#pragma once
// Turns decoded frames into latencies: reads each frame's counter (frame_code.hpp), looks up when
// it was captured, and keeps one sample per captured frame — the first time it is seen, since a
// compositor may repeat a frame when the next one is late.
#include <gst/gst.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "capture_log.hpp"

namespace veil::bench::media {

// The counter in a decoded I420 sample, or nothing.
std::optional<std::uint16_t> read_sample_code(GstSample* sample);

class StampReader {
 public:
  explicit StampReader(const CaptureLog& log) : log_(log) {}
  // A decoded frame: its counter and capture time, when it is a new one.
  struct Seen {
    std::uint16_t counter = 0;
    std::int64_t captured_ns = 0;
  };
  std::optional<Seen> decoded(GstSample* sample);
  int unreadable() const;

 private:
  const CaptureLog& log_;
  mutable std::mutex mutex_;  // guards the three below
  bool any_ = false;
  std::uint16_t last_ = 0;
  int unreadable_ = 0;
};

}  // namespace veil::bench::media
