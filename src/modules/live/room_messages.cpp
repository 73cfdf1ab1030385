#include "modules/live/room_messages.hpp"

#include <algorithm>

#include "util/encoding.hpp"

namespace veil::live {

namespace {
std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

Result<PostedMessage> RoomMessages::post(const std::string& room_id, const std::string& session_id, const std::string& author_id,
                                         std::string_view kind, std::string_view raw_text, int slow_mode_seconds) {
  if (kind != "comment" && kind != "question") return Error::invalid("message_kind_invalid");
  std::string_view text = trimmed(raw_text);
  if (text.empty()) return Error::invalid("message_empty");
  if (code_points(text) > kMaxLength) return Error::invalid("message_too_long");
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n'; }))
    return Error::invalid("message_empty", "control characters");
  std::string key = room_id + ":" + author_id;
  Millis now = clock_.now();
  {
    std::lock_guard lock(mutex_);
    if (slow_mode_seconds > 0) {
      auto last = last_post_.find(key);
      Millis wait = last == last_post_.end() ? 0 : last->second + slow_mode_seconds * kSecond - now;
      if (wait > 0) return Error::exhausted("slow_mode", wait);
    }
    if (!burst_.allow(key)) return Error::exhausted("message_rate_limited", burst_.retry_after(key));
    last_post_[key] = now;
    if (last_post_.size() > 100'000) last_post_.clear();  // slow-mode memory, not a record
  }
  PostedMessage m{random_id(12), std::string(kind), std::string(text), now};
  VEIL_TRY(db_.transaction([&](store::Session& s) -> Status {
    auto& fields = engine_.fields();
    VEIL_TRY(s.execute("INSERT INTO room_messages (id, room_id, session_id, author_id, kind, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     {store::Value{m.id}, store::Value{room_id}, store::Value{session_id},
                      VEIL_TRY(fields.encode(s, author_id, "live_interaction", "room_message.author", author_id)),
                      store::Value{m.kind}, VEIL_TRY(fields.encode(s, author_id, "live_interaction", "room_message.text", m.text)),
                      store::Value{now}}));
    return {};
  }));
  return m;
}

}  // namespace veil::live
