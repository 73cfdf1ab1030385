#pragma once
// A fixed-window counter per key, in memory: how many times a key may act per window. Keys are
// keyed hashes (never a phone number or an address in clear), and the table is pruned as windows
// pass, so nothing personal accumulates. Several nodes will share it through Redis later.
#include <mutex>
#include <string>
#include <unordered_map>

#include "util/clock.hpp"

namespace veil {

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, int limit, Millis window) : clock_(clock), limit_(limit), window_(window) {}

  // Counts one attempt; false when the key has used its allowance in the current window.
  bool allow(const std::string& key);
  // Milliseconds until the key may act again (0 if it may now).
  Millis retry_after(const std::string& key) const;

 private:
  struct Window {
    Millis started = 0;
    int count = 0;
  };
  void prune(Millis now);
  const Clock& clock_;
  const int limit_;
  const Millis window_;
  mutable std::mutex windows_mutex_;
  std::unordered_map<std::string, Window> windows_;  // guarded by windows_mutex_
  Millis last_prune_ = 0;                            // guarded by windows_mutex_
};

}  // namespace veil
