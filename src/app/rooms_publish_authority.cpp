#include "app/rooms_publish_authority.hpp"

namespace veil::app {

Result<media::PublisherGrant> RoomsPublishAuthority::check(const std::string& room_id, std::string_view token, media::Ingest via) {
  const auto client = via == media::Ingest::Rtmp ? live::PublishClient::Encoder : live::PublishClient::Browser;
  live::PublishGrant g = VEIL_TRY(rooms_.check_publish(room_id, token, client));
  return media::PublisherGrant{g.grant_id, g.room_id, g.session_id, g.account_id, g.role, g.masked};
}

Result<bool> RoomsPublishAuthority::still_allowed(const media::PublisherGrant& grant) {
  return rooms_.may_publish(grant.session_id, grant.account_id);
}

}  // namespace veil::app
