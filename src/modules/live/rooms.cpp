#include "modules/live/rooms.hpp"

#include <sodium.h>

#include <algorithm>

#include "util/encoding.hpp"

namespace veil::live {

namespace {
constexpr std::string_view kPurpose = "live_hosting";
constexpr std::string_view kRoomColumns =
    "SELECT r.id, r.owner_id, r.title, r.mode, r.status, r.scheduled_at, r.settings, s.id, s.started_at "
    "FROM rooms r LEFT JOIN live_sessions s ON s.room_id = r.id AND s.ended_at IS NULL ";

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Status check_title(const std::string& title) {
  std::size_t n = code_points(title);
  if (n < 2 || n > 60 || title.find_first_not_of(" \t") == std::string::npos) return Error::invalid("room_title_invalid");
  return {};
}

RoomStatus status_of(const std::string& s) {
  return s == "live" ? RoomStatus::Live : s == "ended" ? RoomStatus::Ended : RoomStatus::Scheduled;
}
}  // namespace

std::string_view to_string(RoomMode m) {
  switch (m) {
    case RoomMode::Video: return "video";
    case RoomMode::Voice: return "voice";
    case RoomMode::Screen: return "screen";
  }
  return "video";
}

std::string_view to_string(RoomStatus s) {
  switch (s) {
    case RoomStatus::Scheduled: return "scheduled";
    case RoomStatus::Live: return "live";
    case RoomStatus::Ended: return "ended";
  }
  return "scheduled";
}

std::optional<RoomMode> room_mode_of(std::string_view s) {
  if (s == "video") return RoomMode::Video;
  if (s == "voice") return RoomMode::Voice;
  if (s == "screen") return RoomMode::Screen;
  return std::nullopt;
}

nlohmann::json RoomSettings::to_json() const {
  return {{"comments_need_real_name", comments_need_real_name}, {"slow_mode_seconds", slow_mode_seconds}};
}

Result<RoomSettings> RoomSettings::from_json(const nlohmann::json& j) {
  if (!j.is_object()) return Error::invalid("room_settings_invalid");
  RoomSettings out;
  for (const auto& [key, value] : j.items()) {
    if (key == "comments_need_real_name" && value.is_boolean()) {
      out.comments_need_real_name = value.get<bool>();
    } else if (key == "slow_mode_seconds" && value.is_number_integer() && value.get<std::int64_t>() >= 0 &&
               value.get<std::int64_t>() <= 300) {
      out.slow_mode_seconds = value.get<int>();
    } else {
      return Error::invalid("room_settings_invalid", key);
    }
  }
  return out;
}

Result<Room> Rooms::load(store::Session& s, const std::string& room_id) {
  auto rows = VEIL_TRY(s.query(std::string(kRoomColumns) + "WHERE r.id = ?", {store::Value{room_id}}));
  if (rows.empty()) return Error{ErrorCode::NotFound, "room_not_found", ""};
  const store::Row& r = rows[0];
  Room room;
  room.id = r.text(0);
  room.host.id = r.text(1);
  room.title = r.text(2);
  room.mode = room_mode_of(r.text(3)).value_or(RoomMode::Video);
  room.status = status_of(r.text(4));
  if (!r.is_null(5)) room.scheduled_at = r.integer(5);
  room.settings = VEIL_TRY(RoomSettings::from_json(nlohmann::json::parse(r.text(6), nullptr, false)));
  if (!r.is_null(7)) {
    room.session_id = r.text(7);
    room.live_since = r.integer(8);
  }
  // The host's nickname and avatar appear only while the host's profile consent stands.
  auto& fields = engine_.fields();
  if (fields.check(s, room.host.id, "profile", "profile.nickname").ok()) {
    auto profile = VEIL_TRY(s.query("SELECT nickname, avatar_url FROM profiles WHERE account_id = ?", {store::Value{room.host.id}}));
    if (!profile.empty()) {
      if (auto n = VEIL_TRY(fields.decode(s, room.host.id, "profile", "profile.nickname", profile[0].at(0)))) room.host.nickname = n->reveal();
      if (auto a = VEIL_TRY(fields.decode(s, room.host.id, "profile", "profile.avatar", profile[0].at(1)))) room.host.avatar_url = a->reveal();
    }
  }
  return room;
}

Result<Room> Rooms::load_owned(store::Session& s, const std::string& owner_id, const std::string& room_id) {
  Room room = VEIL_TRY(load(s, room_id));
  if (room.host.id != owner_id) return Error{ErrorCode::NotFound, "room_not_found", ""};
  return room;
}

Result<Room> Rooms::create(const std::string& owner_id, const NewRoom& request) {
  VEIL_TRY(check_title(request.title));
  if (request.scheduled_at && (*request.scheduled_at < clock_.now() || *request.scheduled_at > clock_.now() + 366LL * 24 * 60 * kMinute))
    return Error::invalid("room_schedule_invalid");
  return store::transact<Room>(db_, [&](store::Session& s) -> Result<Room> {
    accounts::AccountRow row = VEIL_TRY(accounts_.account(s, owner_id));
    VEIL_TRY(accounts::AccountRecords::require_active(row));
    if (!VEIL_TRY(streamers_.is_approved_streamer(s, owner_id))) return Error{ErrorCode::PermissionDenied, "streamer_required", ""};
    auto& fields = engine_.fields();
    std::string id = random_id(12);
    VEIL_TRY(s.execute(
        "INSERT INTO rooms (id, owner_id, title, mode, status, scheduled_at, settings, created_at) VALUES (?, ?, ?, ?, 'scheduled', ?, ?, ?)",
        {store::Value{id}, VEIL_TRY(fields.encode(s, owner_id, kPurpose, "room.owner", owner_id)),
         VEIL_TRY(fields.encode(s, owner_id, kPurpose, "room.title", request.title)), store::Value{std::string(to_string(request.mode))},
         request.scheduled_at ? store::Value{*request.scheduled_at} : store::Value{store::Null{}},
         store::Value{RoomSettings{}.to_json().dump()}, store::Value{clock_.now()}}));
    return load(s, id);
  });
}

Result<Room> Rooms::update(const std::string& owner_id, const std::string& room_id, const std::optional<std::string>& title,
                           const std::optional<RoomSettings>& settings) {
  if (title) VEIL_TRY(check_title(*title));
  return store::transact<Room>(db_, [&](store::Session& s) -> Result<Room> {
    Room room = VEIL_TRY(load_owned(s, owner_id, room_id));
    if (room.status == RoomStatus::Ended) return Error{ErrorCode::Conflict, "room_ended", ""};
    if (title)
      VEIL_TRY(s.execute("UPDATE rooms SET title = ? WHERE id = ?",
                         {VEIL_TRY(engine_.fields().encode(s, owner_id, kPurpose, "room.title", *title)), store::Value{room_id}}));
    if (settings)
      VEIL_TRY(s.execute("UPDATE rooms SET settings = ? WHERE id = ?", {store::Value{settings->to_json().dump()}, store::Value{room_id}}));
    return load(s, room_id);
  });
}

Result<PublishCredential> Rooms::issue(store::Session& s, const std::string& session_id, const std::string& account_id,
                                       std::string_view role, bool masked) {
  PublishCredential c;
  c.grant_id = random_id(12);
  c.token = random_id(24);
  c.expires_at = clock_.now() + kPublishTokenLifetime;
  auto& fields = engine_.fields();
  VEIL_TRY(s.execute(
      "INSERT INTO publish_grants (id, session_id, account_id, role, masked, unmasked_to, token_hash, expires_at, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {store::Value{c.grant_id}, store::Value{session_id},
       VEIL_TRY(fields.encode(s, account_id, kPurpose, "publish_grant.account", account_id)), store::Value{std::string(role)},
       store::Value{std::int64_t{masked}}, store::Value{std::string(masked ? "host" : "everyone")},
       VEIL_TRY(fields.encode(s, account_id, kPurpose, "publish_grant.token", c.token)), store::Value{c.expires_at},
       store::Value{clock_.now()}}));
  return c;
}

Result<std::pair<Room, PublishCredential>> Rooms::go_live(const std::string& owner_id, const std::string& room_id) {
  return store::transact<std::pair<Room, PublishCredential>>(db_, [&](store::Session& s) -> Result<std::pair<Room, PublishCredential>> {
    accounts::AccountRow row = VEIL_TRY(accounts_.account(s, owner_id));
    VEIL_TRY(accounts::AccountRecords::require_active(row));
    Room room = VEIL_TRY(load_owned(s, owner_id, room_id));
    if (room.status == RoomStatus::Live) return Error{ErrorCode::Conflict, "room_live", ""};
    if (room.status == RoomStatus::Ended) return Error{ErrorCode::Conflict, "room_ended", ""};
    if (!VEIL_TRY(streamers_.is_approved_streamer(s, owner_id))) return Error{ErrorCode::PermissionDenied, "streamer_required", ""};
    if (!VEIL_TRY(real_names_.is_verified(s, owner_id))) return Error{ErrorCode::PermissionDenied, "real_name_required", ""};
    std::string session_id = random_id(12);
    Millis now = clock_.now();
    // The status update is conditional: of two concurrent go-lives only one changes the row.
    auto moved = VEIL_TRY(s.query("UPDATE rooms SET status = 'live' WHERE id = ? AND status = 'scheduled' RETURNING id",
                                  {store::Value{room_id}}));
    if (moved.empty()) return Error{ErrorCode::Conflict, "room_live", ""};
    VEIL_TRY(s.execute("INSERT INTO live_sessions (id, room_id, mode, started_at) VALUES (?, ?, ?, ?)",
                       {store::Value{session_id}, store::Value{room_id}, store::Value{std::string(to_string(room.mode))}, store::Value{now}}));
    PublishCredential credential = VEIL_TRY(issue(s, session_id, owner_id, "host", false));
    VEIL_TRY(engine_.audit().append(s, {owner_id, "room.live", room_id, {{"session", session_id}}}));
    return std::pair{VEIL_TRY(load(s, room_id)), std::move(credential)};
  });
}

Result<PublishCredential> Rooms::refresh_credential(const std::string& account_id, const std::string& room_id) {
  return store::transact<PublishCredential>(db_, [&](store::Session& s) -> Result<PublishCredential> {
    Room room = VEIL_TRY(load(s, room_id));
    if (room.status != RoomStatus::Live) return Error{ErrorCode::Conflict, "not_live", ""};
    auto rows = VEIL_TRY(s.query(
        "SELECT id, role, masked FROM publish_grants WHERE session_id = ? AND account_id = ? AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1",
        {store::Value{room.session_id}, store::Value{account_id}}));
    if (rows.empty()) return Error{ErrorCode::PermissionDenied, "publish_denied", ""};
    // The old credential stops working: one live credential per grant holder.
    VEIL_TRY(s.execute("UPDATE publish_grants SET revoked_at = ? WHERE id = ?", {store::Value{clock_.now()}, store::Value{rows[0].text(0)}}));
    return issue(s, room.session_id, account_id, rows[0].text(1), rows[0].integer(2) != 0);
  });
}

Result<Room> Rooms::end(const std::string& owner_id, const std::string& room_id) {
  return store::transact<Room>(db_, [&](store::Session& s) -> Result<Room> {
    Room room = VEIL_TRY(load_owned(s, owner_id, room_id));
    if (room.status != RoomStatus::Live) return Error{ErrorCode::Conflict, "not_live", ""};
    Millis now = clock_.now();
    VEIL_TRY(s.execute("UPDATE live_sessions SET ended_at = ? WHERE id = ?", {store::Value{now}, store::Value{room.session_id}}));
    VEIL_TRY(s.execute("UPDATE publish_grants SET revoked_at = ? WHERE session_id = ? AND revoked_at IS NULL",
                       {store::Value{now}, store::Value{room.session_id}}));
    VEIL_TRY(s.execute("UPDATE rooms SET status = 'ended' WHERE id = ?", {store::Value{room_id}}));
    VEIL_TRY(engine_.audit().append(s, {owner_id, "room.ended", room_id, {{"session", room.session_id}}}));
    return load(s, room_id);
  });
}

Result<Room> Rooms::get(const std::string& room_id) {
  return store::read<Room>(db_, [&](store::Session& s) { return load(s, room_id); });
}

Result<std::vector<Room>> Rooms::list(std::optional<RoomStatus> status) {
  return store::read<std::vector<Room>>(db_, [&](store::Session& s) -> Result<std::vector<Room>> {
    std::vector<Room> out;
    for (RoomStatus st : {RoomStatus::Live, RoomStatus::Scheduled}) {
      if (status && *status != st) continue;
      const char* order = st == RoomStatus::Live ? "ORDER BY s.started_at DESC" : "ORDER BY r.scheduled_at, r.created_at";
      auto rows = VEIL_TRY(s.query("SELECT r.id FROM rooms r LEFT JOIN live_sessions s ON s.room_id = r.id AND s.ended_at IS NULL "
                                   "WHERE r.status = ? " + std::string(order) + " LIMIT 100",
                                   {store::Value{std::string(to_string(st))}}));
      for (const auto& r : rows) out.push_back(VEIL_TRY(load(s, r.text(0))));
    }
    return out;
  });
}

Result<std::vector<Room>> Rooms::owned_by(const std::string& owner_id) {
  return store::read<std::vector<Room>>(db_, [&](store::Session& s) -> Result<std::vector<Room>> {
    std::vector<Room> out;
    auto rows = VEIL_TRY(s.query("SELECT id FROM rooms WHERE owner_id = ? ORDER BY created_at DESC LIMIT 100", {store::Value{owner_id}}));
    for (const auto& r : rows) out.push_back(VEIL_TRY(load(s, r.text(0))));
    return out;
  });
}

Result<PublishGrant> Rooms::check_publish(const std::string& room_id, std::string_view token, PublishClient client) {
  std::string hash = VEIL_TRY(engine_.fields().hash_of("publish_grant.token", token));
  return store::read<PublishGrant>(db_, [&](store::Session& s) -> Result<PublishGrant> {
    auto rows = VEIL_TRY(s.query(
        "SELECT g.id, g.session_id, g.account_id, g.role, g.masked, g.unmasked_to, g.expires_at, g.revoked_at, l.room_id, l.ended_at "
        "FROM publish_grants g JOIN live_sessions l ON l.id = g.session_id WHERE g.token_hash = ?",
        {store::Value{hash}}));
    if (rows.empty()) return Error{ErrorCode::PermissionDenied, "publish_denied", "unknown credential"};
    const store::Row& r = rows[0];
    const bool expired = client == PublishClient::Browser && r.integer(6) <= clock_.now();
    if (r.text(8) != room_id || !r.is_null(7) || !r.is_null(9) || expired)
      return Error{ErrorCode::PermissionDenied, "publish_denied", "credential not valid for this room now"};
    return PublishGrant{r.text(0), room_id, r.text(1), r.text(2), r.text(3), r.integer(4) != 0, r.text(5)};
  });
}

Result<bool> Rooms::may_publish(const std::string& session_id, const std::string& account_id) {
  return store::read<bool>(db_, [&](store::Session& s) -> Result<bool> {
    auto rows = VEIL_TRY(s.query(
        "SELECT 1 FROM publish_grants g JOIN live_sessions l ON l.id = g.session_id "
        "WHERE g.session_id = ? AND g.account_id = ? AND g.revoked_at IS NULL AND l.ended_at IS NULL LIMIT 1",
        {store::Value{session_id}, store::Value{account_id}}));
    return !rows.empty();
  });
}

Result<PublishCredential> Rooms::grant(store::Session& s, const std::string& room_id, const std::string& account_id,
                                       std::string_view role, bool masked) {
  Room room = VEIL_TRY(load(s, room_id));
  if (room.status != RoomStatus::Live) return Error{ErrorCode::Conflict, "not_live", ""};
  return issue(s, room.session_id, account_id, role, masked);
}

Status Rooms::revoke(store::Session& s, const std::string& room_id, const std::string& account_id) {
  Room room = VEIL_TRY(load(s, room_id));
  if (room.status != RoomStatus::Live) return {};
  VEIL_TRY(s.execute("UPDATE publish_grants SET revoked_at = ? WHERE session_id = ? AND account_id = ? AND revoked_at IS NULL",
                     {store::Value{clock_.now()}, store::Value{room.session_id}, store::Value{account_id}}));
  return {};
}

Result<std::string> Rooms::watch_token(const std::string& room_id) {
  Room room = VEIL_TRY(get(room_id));
  if (room.status == RoomStatus::Ended) return Error{ErrorCode::Conflict, "room_ended", ""};
  std::string payload = room_id + "." + random_id(8) + "." + std::to_string(clock_.now() + kWatchTokenLifetime);
  return payload + "." + engine_.vault().secret_hash("watch_token", payload);
}

Result<std::string> Rooms::check_watch_token(const std::string& room_id, std::string_view token) const {
  auto last = token.rfind('.');
  if (last == std::string_view::npos) return Error{ErrorCode::Unauthenticated, "watch_token_invalid", ""};
  std::string payload(token.substr(0, last));
  std::string expected = engine_.vault().secret_hash("watch_token", payload);
  std::string_view mac = token.substr(last + 1);
  if (mac.size() != expected.size() || sodium_memcmp(mac.data(), expected.data(), expected.size()) != 0)
    return Error{ErrorCode::Unauthenticated, "watch_token_invalid", ""};
  auto first = payload.find('.'), second = payload.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos || payload.substr(0, first) != room_id)
    return Error{ErrorCode::Unauthenticated, "watch_token_invalid", "another room"};
  if (std::stoll(payload.substr(second + 1)) <= clock_.now()) return Error{ErrorCode::Unauthenticated, "watch_token_invalid", "expired"};
  return payload.substr(first + 1, second - first - 1);
}

}  // namespace veil::live
