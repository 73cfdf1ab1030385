#include "modules/live/in_process_bus.hpp"

namespace veil::live {

Status InProcessBus::subscribe(const std::string& room_id) {
  std::lock_guard lock(mutex_);
  subscribed_.insert(room_id);
  return {};
}

Status InProcessBus::unsubscribe(const std::string& room_id) {
  std::lock_guard lock(mutex_);
  subscribed_.erase(room_id);
  return {};
}

Status InProcessBus::publish_event(const std::string& room_id, const std::string& payload) {
  std::lock_guard lock(mutex_);
  std::int64_t seq = ++seq_[room_id];
  if (handler_ && subscribed_.count(room_id)) handler_({room_id, seq, payload});
  return {};
}

Status InProcessBus::publish_signal(const std::string& room_id, const std::string& payload) {
  std::lock_guard lock(mutex_);
  if (handler_ && subscribed_.count(room_id)) handler_({room_id, 0, payload});
  return {};
}

}  // namespace veil::live
