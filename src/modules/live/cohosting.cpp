#include "modules/live/cohosting.hpp"

#include "util/encoding.hpp"

namespace veil::live {

namespace {
constexpr std::string_view kColumns = "SELECT id, room_id, account_id, masked, status, created_at FROM cohost_requests ";

CohostRequest request_of(const store::Row& r) {
  return {r.text(0), r.text(1), r.text(2), r.integer(3) != 0, r.text(4), r.integer(5)};
}
}  // namespace

Result<CohostRequest> Cohosting::load(store::Session& s, const std::string& room_id, const std::string& request_id) {
  auto rows = VEIL_TRY(s.query(std::string(kColumns) + "WHERE id = ? AND room_id = ?", {store::Value{request_id}, store::Value{room_id}}));
  if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "co-host request"};
  return request_of(rows[0]);
}

Result<CohostRequest> Cohosting::ask(const std::string& account_id, const std::string& room_id, bool masked) {
  return store::transact<CohostRequest>(db_, [&](store::Session& s) -> Result<CohostRequest> {
    Room room = VEIL_TRY(rooms_.get(s, room_id));
    if (room.status != RoomStatus::Live) return Error{ErrorCode::Conflict, "not_live", ""};
    if (room.host.id == account_id) return Error{ErrorCode::Conflict, "cohost_self", ""};
    auto open = VEIL_TRY(s.query("SELECT 1 FROM cohost_requests WHERE session_id = ? AND account_id = ? AND status IN ('pending', 'approved')",
                                 {store::Value{room.session_id}, store::Value{account_id}}));
    if (!open.empty()) return Error{ErrorCode::Conflict, "cohost_pending", ""};
    CohostRequest r{random_id(12), room_id, account_id, masked, "pending", clock_.now()};
    VEIL_TRY(s.execute(
        "INSERT INTO cohost_requests (id, room_id, session_id, account_id, masked, status, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
        {store::Value{r.id}, store::Value{room_id}, store::Value{room.session_id},
         VEIL_TRY(engine_.fields().encode(s, account_id, "live_interaction", "cohost.account", account_id)),
         store::Value{std::int64_t{masked}}, store::Value{r.created_at}}));
    return r;
  });
}

Result<std::vector<CohostRequest>> Cohosting::list(const std::string& account_id, const std::string& room_id) {
  Room room = VEIL_TRY(rooms_.get(room_id));
  return store::read<std::vector<CohostRequest>>(db_, [&](store::Session& s) -> Result<std::vector<CohostRequest>> {
    std::string where = "WHERE session_id = ? AND status IN ('pending', 'approved')";
    std::vector<store::Value> params = {store::Value{room.session_id}};
    if (room.host.id != account_id) {
      where += " AND account_id = ?";
      params.push_back(store::Value{account_id});
    }
    std::vector<CohostRequest> out;
    for (const auto& r : VEIL_TRY(s.query(std::string(kColumns) + where + " ORDER BY created_at", params))) out.push_back(request_of(r));
    return out;
  });
}

Result<CohostRequest> Cohosting::decide(const std::string& host_id, const std::string& room_id, const std::string& request_id,
                                        bool approve) {
  return store::transact<CohostRequest>(db_, [&](store::Session& s) -> Result<CohostRequest> {
    Room room = VEIL_TRY(rooms_.get(s, room_id));
    if (room.host.id != host_id) return Error{ErrorCode::NotFound, "room_not_found", ""};
    CohostRequest r = VEIL_TRY(load(s, room_id, request_id));
    if (r.status != "pending") return Error{ErrorCode::Conflict, "cohost_decided", ""};
    // The credential itself goes to the co-host only: they fetch it (publish-credential).
    if (approve) VEIL_TRY(rooms_.grant(s, room_id, r.account_id, "cohost", r.masked));
    r.status = approve ? "approved" : "denied";
    VEIL_TRY(s.execute("UPDATE cohost_requests SET status = ?, decided_at = ? WHERE id = ?",
                       {store::Value{r.status}, store::Value{clock_.now()}, store::Value{request_id}}));
    VEIL_TRY(engine_.audit().append(s, {host_id, approve ? "cohost.approved" : "cohost.denied", r.account_id,
                                        {{"room", room_id}, {"masked", r.masked}}}));
    return r;
  });
}

Result<CohostRequest> Cohosting::end(const std::string& account_id, const std::string& room_id, const std::string& request_id) {
  return store::transact<CohostRequest>(db_, [&](store::Session& s) -> Result<CohostRequest> {
    Room room = VEIL_TRY(rooms_.get(s, room_id));
    CohostRequest r = VEIL_TRY(load(s, room_id, request_id));
    if (account_id != r.account_id && account_id != room.host.id) return Error{ErrorCode::NotFound, "not_found", "co-host request"};
    if (r.status != "pending" && r.status != "approved") return Error{ErrorCode::Conflict, "cohost_decided", ""};
    if (r.status == "approved") VEIL_TRY(rooms_.revoke(s, room_id, r.account_id));
    r.status = "ended";
    VEIL_TRY(s.execute("UPDATE cohost_requests SET status = 'ended', decided_at = ? WHERE id = ?",
                       {store::Value{clock_.now()}, store::Value{request_id}}));
    return r;
  });
}

}  // namespace veil::live
