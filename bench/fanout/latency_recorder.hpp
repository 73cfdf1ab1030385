#pragma once
// Latency samples of one run, kept whole (a few million microsecond values) so percentiles are
// exact rather than read off histogram buckets.
#include <cstdint>
#include <vector>

namespace veil::bench::fanout {

struct LatencySummary {
  std::size_t count = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
};

class LatencyRecorder {
 public:
  explicit LatencyRecorder(std::size_t expected = 0) { samples_us_.reserve(expected); }
  void record_ns(std::int64_t latency_ns);
  // Nearest-rank percentiles (the smallest sample with at least p % of samples at or below it).
  LatencySummary summarize() const;
  std::size_t count() const { return samples_us_.size(); }

 private:
  std::vector<std::uint32_t> samples_us_;
};

// The nearest-rank p-th percentile of sorted values (p in (0, 100]); 0 when there are none.
std::uint32_t nearest_rank(const std::vector<std::uint32_t>& sorted, double p);

}  // namespace veil::bench::fanout
