#pragma once
// How room events travel between `veil serve` nodes ([ARCHITECTURE] multi-node fan-out). A node's
// RoomHub publishes every room event to the bus and delivers only what the bus hands back, so one
// node and many behave alike. Events are numbered per room by the bus (one order on every node:
// the sequence a reconnecting viewer resumes from); signals (a node's viewer count) are not.
// Implementations: InProcessBus (one node) and RedisBus (Redis pub/sub, several nodes).
#include <cstdint>
#include <functional>
#include <string>

#include "util/result.hpp"

namespace veil::live {

struct BusMessage {
  std::string room_id;
  std::int64_t seq = 0;  // > 0 for an event, 0 for a signal
  std::string payload;   // a JSON object's text
};

class RoomBus {
 public:
  using Handler = std::function<void(const BusMessage&)>;
  virtual ~RoomBus() = default;

  // Set once, before any subscribe; called on the bus's own thread (or the publisher's).
  virtual void set_handler(Handler handler) = 0;
  // Start and stop receiving a room's messages on this node.
  virtual Status subscribe(const std::string& room_id) = 0;
  virtual Status unsubscribe(const std::string& room_id) = 0;
  virtual Status publish_event(const std::string& room_id, const std::string& payload) = 0;
  virtual Status publish_signal(const std::string& room_id, const std::string& payload) = 0;
};

}  // namespace veil::live
