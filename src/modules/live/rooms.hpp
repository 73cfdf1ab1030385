#pragma once
// Rooms and their live sessions (C1, C2): an approved streamer creates a room (video, voice-only
// or screen-share), may schedule it, goes live (which needs real-name verification, [000] 在您开始
// 直播前需要进行实名认证) and ends it. Each live session issues short-lived publish credentials;
// the media pipeline asks `check_publish` before it accepts a stream. Watching needs no account
// (C3): `watch_token` is a signed, stateless ticket, so an anonymous viewer leaves nothing behind.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "modules/identity/real_name_service.hpp"
#include "modules/live/streamer_applications.hpp"

namespace veil::live {

inline constexpr Millis kPublishTokenLifetime = 10 * kMinute;
inline constexpr Millis kWatchTokenLifetime = 12 * 60 * kMinute;

enum class RoomMode { Video, Voice, Screen };
enum class RoomStatus { Scheduled, Live, Ended };
std::string_view to_string(RoomMode m);
std::string_view to_string(RoomStatus s);
std::optional<RoomMode> room_mode_of(std::string_view s);

// What the host (within the operator's limits) sets for the room channel.
struct RoomSettings {
  bool comments_need_real_name = false;  // C5: "real-name may be required by configuration"
  int slow_mode_seconds = 0;             // 0 = off; otherwise one comment per person per interval
  nlohmann::json to_json() const;
  static Result<RoomSettings> from_json(const nlohmann::json& j);
};

struct Host {
  std::string id;
  std::optional<std::string> nickname, avatar_url;  // shown only with the host's profile consent
};

struct Room {
  std::string id;
  Host host;
  std::string title;
  RoomMode mode = RoomMode::Video;
  RoomStatus status = RoomStatus::Scheduled;
  std::optional<Millis> scheduled_at;
  RoomSettings settings;
  std::string session_id;  // the current live session, when live
  Millis live_since = 0;
};

struct PublishCredential {
  std::string grant_id;
  std::string token;  // shown once; stored only as a keyed hash
  Millis expires_at = 0;
};

// Who starts a stream with a credential. A browser fetches a fresh credential for each start, so
// its credential opens a stream only within its ten minutes. An encoder (OBS) keeps the stream key
// it was given and reconnects with it by itself after a network blip or a restart of the ingest
// server, so its key opens streams for as long as the session and the grant last; getting a new
// credential revokes it like any other.
enum class PublishClient { Browser, Encoder };

struct PublishGrant {
  std::string grant_id, room_id, session_id, account_id, role;  // role: host | cohost
  bool masked = false;
  std::string unmasked_to;  // everyone | host
};

struct NewRoom {
  std::string title;
  RoomMode mode = RoomMode::Video;
  std::optional<Millis> scheduled_at;
};

class Rooms {
 public:
  Rooms(store::Database& db, engine::Engine& engine, accounts::AccountService& accounts, identity::RealNameService& real_names,
        StreamerApplications& streamers, const Clock& clock)
      : db_(db), engine_(engine), accounts_(accounts), real_names_(real_names), streamers_(streamers), clock_(clock) {}

  // Errors: streamer_required (403), room_title_invalid, room_schedule_invalid.
  Result<Room> create(const std::string& owner_id, const NewRoom& request);
  // Owner only (a room of someone else is not_found, never "forbidden": ids reveal nothing).
  Result<Room> update(const std::string& owner_id, const std::string& room_id, const std::optional<std::string>& title,
                      const std::optional<RoomSettings>& settings);
  // Errors: streamer_required, real_name_required, room_live, room_ended.
  Result<std::pair<Room, PublishCredential>> go_live(const std::string& owner_id, const std::string& room_id);
  // A fresh credential for a grant holder while the session lasts. Errors: not_live, publish_denied.
  Result<PublishCredential> refresh_credential(const std::string& account_id, const std::string& room_id);
  Result<Room> end(const std::string& owner_id, const std::string& room_id);

  Result<Room> get(const std::string& room_id);
  Result<Room> get(store::Session& s, const std::string& room_id) { return load(s, room_id); }
  // Live rooms first (newest first), then scheduled ones (soonest first); at most 100 each.
  Result<std::vector<Room>> list(std::optional<RoomStatus> status);
  Result<std::vector<Room>> owned_by(const std::string& owner_id);

  // For the media pipeline: the grant behind a credential for this room, or publish_denied.
  Result<PublishGrant> check_publish(const std::string& room_id, std::string_view token,
                                     PublishClient client = PublishClient::Browser);
  // For a stream already flowing: whether `account_id` still holds an unrevoked grant in the live
  // session `session_id` (a refreshed credential counts; an ended room or co-host does not).
  Result<bool> may_publish(const std::string& session_id, const std::string& account_id);
  // Inside a caller's transaction (co-hosting): a grant for the room's current session.
  Result<PublishCredential> grant(store::Session& s, const std::string& room_id, const std::string& account_id,
                                  std::string_view role, bool masked);
  Status revoke(store::Session& s, const std::string& room_id, const std::string& account_id);

  // Anonymous viewing: a ticket naming the room and a random viewer id, signed by the server.
  Result<std::string> watch_token(const std::string& room_id);
  // The viewer id inside a valid ticket for `room_id`. Error watch_token_invalid (401).
  Result<std::string> check_watch_token(const std::string& room_id, std::string_view token) const;

 private:
  Result<Room> load(store::Session& s, const std::string& room_id);
  Result<Room> load_owned(store::Session& s, const std::string& owner_id, const std::string& room_id);
  Result<PublishCredential> issue(store::Session& s, const std::string& session_id, const std::string& account_id,
                                  std::string_view role, bool masked);

  store::Database& db_;
  engine::Engine& engine_;
  accounts::AccountService& accounts_;
  identity::RealNameService& real_names_;
  StreamerApplications& streamers_;
  const Clock& clock_;
};

}  // namespace veil::live
