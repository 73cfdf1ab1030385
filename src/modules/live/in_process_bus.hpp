#pragma once
// The bus of a single node: numbering and delivery in the publisher's thread. The sequence lock
// also orders delivery, so every subscriber sees a room's events in sequence order.
#include <map>
#include <mutex>
#include <set>

#include "modules/live/room_bus.hpp"

namespace veil::live {

class InProcessBus final : public RoomBus {
 public:
  void set_handler(Handler handler) override { handler_ = std::move(handler); }
  Status subscribe(const std::string& room_id) override;
  Status unsubscribe(const std::string& room_id) override;
  Status publish_event(const std::string& room_id, const std::string& payload) override;
  Status publish_signal(const std::string& room_id, const std::string& payload) override;

 private:
  Handler handler_;
  std::mutex mutex_;
  std::map<std::string, std::int64_t> seq_;  // kept after unsubscribe: numbers never repeat
  std::set<std::string> subscribed_;
};

}  // namespace veil::live
