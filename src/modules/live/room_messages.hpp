#pragma once
// Comments and questions in a live room (C5; [000] 用户评论/提问): login required, real-name when
// the room asks for it, per-person rate limits and the room's slow mode. Messages are kept as
// live content records for the period the data map declares (they can be reported, deleted, and
// [000] warns the host may clip them), and shown with the author's presence card.
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/engine.hpp"
#include "util/rate_limiter.hpp"

namespace veil::live {

struct PostedMessage {
  std::string id;
  std::string kind;  // comment | question
  std::string text;
  Millis at = 0;
};

class RoomMessages {
 public:
  static constexpr std::size_t kMaxLength = 300;  // characters
  static constexpr int kBurst = 5;                 // messages per person per room …
  static constexpr Millis kBurstWindow = 10 * kSecond;  // … in this window

  RoomMessages(store::Database& db, engine::Engine& engine, const Clock& clock)
      : db_(db), engine_(engine), clock_(clock), burst_(clock, kBurst, kBurstWindow) {}

  // Errors: message_kind_invalid, message_empty, message_too_long, message_rate_limited (429),
  // slow_mode (429, detail = milliseconds to wait).
  Result<PostedMessage> post(const std::string& room_id, const std::string& session_id, const std::string& author_id,
                             std::string_view kind, std::string_view text, int slow_mode_seconds);

 private:
  store::Database& db_;
  engine::Engine& engine_;
  const Clock& clock_;
  RateLimiter burst_;
  std::mutex mutex_;
  std::map<std::string, Millis> last_post_;  // room + author -> when, for slow mode
};

}  // namespace veil::live
