#pragma once
// The media layer's questions about publishing, answered by the rooms' control plane: a WHIP or
// RTMP credential is a live session's publish grant, and a stream stays allowed only while its
// holder's grant does.
#include "media/media_ports.hpp"
#include "modules/live/rooms.hpp"

namespace veil::app {

class RoomsPublishAuthority final : public media::PublishAuthority {
 public:
  explicit RoomsPublishAuthority(live::Rooms& rooms) : rooms_(rooms) {}
  Result<media::PublisherGrant> check(const std::string& room_id, std::string_view token, media::Ingest via) override;
  Result<bool> still_allowed(const media::PublisherGrant& grant) override;

 private:
  live::Rooms& rooms_;
};

}  // namespace veil::app
