#pragma once
// Request counts and latency histograms by route pattern, in the Prometheus text format.
// Routes are patterns ("/api/v1/me/roles/{role}"), never raw paths, so no id reaches the metrics.
#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace veil::http {

class Metrics {
 public:
  void observe(const std::string& route, const std::string& method, int status, double seconds);
  std::string render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex series_mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // guarded by series_mutex_
  std::map<std::pair<std::string, std::string>, Histogram> latency_;            // guarded by series_mutex_
};

}  // namespace veil::http
