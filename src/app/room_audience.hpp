#pragma once
// The media layer's WebRTC viewers, in the rooms' viewer counts: each one the hub is told of is
// counted beside the channel's connections, once per person (live::RoomHub::media_watching).
#include "media/media_ports.hpp"
#include "modules/live/room_hub.hpp"

namespace veil::app {

class RoomAudience final : public media::AudienceListener {
 public:
  explicit RoomAudience(live::RoomHub& hub) : hub_(hub) {}
  void watching(const std::string& room_id, const std::string& resource_id, const std::string& viewer) override {
    hub_.media_watching(room_id, resource_id, viewer);
  }
  void stopped_watching(const std::string& room_id, const std::string& resource_id) override {
    hub_.media_stopped(room_id, resource_id);
  }

 private:
  live::RoomHub& hub_;
};

}  // namespace veil::app
