#pragma once
// What the media layer asks of the rest of Veil, as interfaces the app implements: media never
// includes a module or the engine (STYLE 15), and could run on its own node behind these same
// calls made over HTTP.
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace veil::media {

// A publish credential, as the room's control plane granted it.
struct PublisherGrant {
  std::string grant_id, room_id, session_id;
  std::string account_id;  // pseudonymous; never logged
  std::string role;        // host | cohost
  bool masked = false;     // [000] 面具连线: the face is hidden from everyone but the host
};

class PublishAuthority {
 public:
  virtual ~PublishAuthority() = default;
  // The grant behind a credential for this room now, or publish_denied (403).
  virtual Result<PublisherGrant> check(const std::string& room_id, std::string_view token) = 0;
  // Whether the grant's holder may still publish in its session: false once the room has ended
  // or the grant was revoked (a co-host ended). Asked every second for each publisher.
  virtual Result<bool> still_allowed(const PublisherGrant& grant) = 0;
};

}  // namespace veil::media
