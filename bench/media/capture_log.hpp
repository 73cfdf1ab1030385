#pragma once
// When each stamped frame was captured, by counter, and the latencies measured against it. All
// times are CLOCK_MONOTONIC nanoseconds of this one process: publisher, viewers and players run
// in it, so no clocks need to agree.
#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace veil::bench::media {

std::int64_t monotonic_ns();

class CaptureLog {
 public:
  void captured(std::uint16_t counter, std::int64_t at_ns) { at_[counter].store(at_ns, std::memory_order_release); }
  // The capture time of `counter`, or 0 when it was never stamped.
  std::int64_t capture_time(std::uint16_t counter) const { return at_[counter].load(std::memory_order_acquire); }

 private:
  std::array<std::atomic<std::int64_t>, 65536> at_{};
};

// Latencies in milliseconds, one per frame seen, from any thread.
class LatencySamples {
 public:
  void add(double ms) {
    std::lock_guard lock(mutex_);
    samples_.push_back(ms);
  }
  std::vector<double> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(samples_, {});
  }

 private:
  std::mutex mutex_;  // guards samples_
  std::vector<double> samples_;
};

// The q-quantile (0..1) of `values` by nearest rank; 0 for none.
double quantile(std::vector<double> values, double q);

}  // namespace veil::bench::media
