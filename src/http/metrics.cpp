#include "http/metrics.hpp"

#include <sstream>

namespace veil::http {

namespace {
// Label values are route patterns and methods we chose, but escape anyway: the format demands it.
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

void Metrics::observe(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(series_mutex_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[{route, method}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::render() const {
  std::lock_guard lock(series_mutex_);
  std::ostringstream out;
  out << "# HELP veil_http_requests_total HTTP requests by route pattern, method and status.\n"
      << "# TYPE veil_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out << "veil_http_requests_total{route=\"" << label(route) << "\",method=\"" << label(method) << "\",status=\""
        << status << "\"} " << n << "\n";
  }
  out << "# HELP veil_http_request_duration_seconds Time to answer a request, by route pattern and method.\n"
      << "# TYPE veil_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    std::string labels = "route=\"" + label(key.first) + "\",method=\"" + label(key.second) + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out << "veil_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i] << "\"} " << h.buckets[i] << "\n";
    out << "veil_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n";
    out << "veil_http_request_duration_seconds_sum{" << labels << "} " << h.sum << "\n";
    out << "veil_http_request_duration_seconds_count{" << labels << "} " << h.count << "\n";
  }
  return out.str();
}

}  // namespace veil::http
