#include "util/rate_limiter.hpp"

namespace veil {

void RateLimiter::prune(Millis now) {
  if (now - last_prune_ < window_) return;
  last_prune_ = now;
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now - it->second.started >= window_) it = windows_.erase(it);
    else ++it;
  }
}

bool RateLimiter::allow(const std::string& key) {
  std::lock_guard lock(windows_mutex_);
  Millis now = clock_.now();
  prune(now);
  Window& w = windows_[key];
  if (w.count == 0 || now - w.started >= window_) {
    w.started = now;
    w.count = 0;
  }
  if (w.count >= limit_) return false;
  ++w.count;
  return true;
}

Millis RateLimiter::retry_after(const std::string& key) const {
  std::lock_guard lock(windows_mutex_);
  auto it = windows_.find(key);
  if (it == windows_.end() || it->second.count < limit_) return 0;
  Millis left = it->second.started + window_ - clock_.now();
  return left > 0 ? left : 0;
}

}  // namespace veil
