#include "fanout/latency_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace veil::bench::fanout {

void LatencyRecorder::record_ns(std::int64_t latency_ns) {
  // Clock steps cannot happen (CLOCK_MONOTONIC in one process), but a negative value must not wrap.
  std::int64_t us = std::max<std::int64_t>(0, latency_ns / 1000);
  samples_us_.push_back(static_cast<std::uint32_t>(
      std::min<std::int64_t>(us, std::numeric_limits<std::uint32_t>::max())));
}

std::uint32_t nearest_rank(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

LatencySummary LatencyRecorder::summarize() const {
  LatencySummary s;
  s.count = samples_us_.size();
  if (s.count == 0) return s;
  std::vector<std::uint32_t> sorted = samples_us_;
  std::sort(sorted.begin(), sorted.end());
  const auto ms = [](std::uint32_t us) { return static_cast<double>(us) / 1000.0; };
  s.p50_ms = ms(nearest_rank(sorted, 50));
  s.p90_ms = ms(nearest_rank(sorted, 90));
  s.p99_ms = ms(nearest_rank(sorted, 99));
  s.p999_ms = ms(nearest_rank(sorted, 99.9));
  s.max_ms = ms(sorted.back());
  double sum = 0;
  for (auto v : sorted) sum += v;
  s.mean_ms = sum / static_cast<double>(s.count) / 1000.0;
  return s;
}

}  // namespace veil::bench::fanout
