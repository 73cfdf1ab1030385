#pragma once
// Co-hosting (C6; [000] 连麦 / 面具连线): a signed-in viewer asks to join the live, optionally
// masked; the host approves or denies; approval grants the co-host a publish credential for the
// session, and ending (by either side, or the live ending) revokes it. For a masked co-host the
// grant records that only the host may receive the unmasked picture; the media pipeline
// enforces that from the grant (publish-check answers unmasked_to = "host").
#include <string>
#include <vector>

#include "modules/live/rooms.hpp"

namespace veil::live {

struct CohostRequest {
  std::string id, room_id, account_id;
  bool masked = false;
  std::string status;  // pending | approved | denied | ended
  Millis created_at = 0;
};

class Cohosting {
 public:
  Cohosting(store::Database& db, engine::Engine& engine, Rooms& rooms, const Clock& clock)
      : db_(db), engine_(engine), rooms_(rooms), clock_(clock) {}

  // Errors: not_live, cohost_self (the host), cohost_pending (one open request per viewer).
  Result<CohostRequest> ask(const std::string& account_id, const std::string& room_id, bool masked);
  // The host sees the session's open and current requests; anyone else only their own.
  Result<std::vector<CohostRequest>> list(const std::string& account_id, const std::string& room_id);
  // Host only (others: room_not_found). Error cohost_decided.
  Result<CohostRequest> decide(const std::string& host_id, const std::string& room_id, const std::string& request_id, bool approve);
  // The host or the co-host ends an approved (or withdraws a pending) request; the grant is revoked.
  Result<CohostRequest> end(const std::string& account_id, const std::string& room_id, const std::string& request_id);

 private:
  Result<CohostRequest> load(store::Session& s, const std::string& room_id, const std::string& request_id);
  store::Database& db_;
  engine::Engine& engine_;
  Rooms& rooms_;
  const Clock& clock_;
};

}  // namespace veil::live
