#include "modules/live/recordings.hpp"

#include <algorithm>

#include "util/encoding.hpp"

namespace veil::live {

namespace {

constexpr std::string_view kPurpose = "live_recording";
constexpr std::string_view kRecordingColumns =
    "SELECT rec.id, rec.session_id, ls.room_id, rm.title, rec.owner_id, rec.status, rec.storage_path, rec.duration_ms, "
    "rec.bytes, rec.created_at FROM recordings rec JOIN live_sessions ls ON ls.id = rec.session_id "
    "JOIN rooms rm ON rm.id = ls.room_id ";
constexpr std::string_view kClipColumns =
    "SELECT id, recording_id, owner_id, title, status, storage_path, start_ms, end_ms, created_at, published_at FROM clips ";

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Error not_found(std::string_view what) { return Error{ErrorCode::NotFound, "not_found", std::string(what)}; }

RecordingInfo recording_of(const store::Row& r) {
  RecordingInfo info;
  info.id = r.text(0);
  info.session_id = r.text(1);
  info.room_id = r.text(2);
  info.room_title = r.text(3);
  info.owner_id = r.text(4);
  info.status = r.text(5);
  info.storage_path = r.is_null(6) ? "" : r.text(6);
  info.duration_ms = r.is_null(7) ? 0 : r.integer(7);
  info.bytes = r.is_null(8) ? 0 : r.integer(8);
  info.created_at = r.integer(9);
  return info;
}

ClipInfo clip_of(const store::Row& r) {
  ClipInfo c;
  c.id = r.text(0);
  c.recording_id = r.text(1);
  c.owner_id = r.text(2);
  c.title = r.text(3);
  c.status = r.text(4);
  c.storage_path = r.is_null(5) ? "" : r.text(5);
  c.start_ms = r.integer(6);
  c.end_ms = r.integer(7);
  c.created_at = r.integer(8);
  if (!r.is_null(9)) c.published_at = r.integer(9);
  return c;
}

Status add_participants(store::Session& s, RecordingInfo& info) {
  auto rows = VEIL_TRY(s.query("SELECT account_id, role, masked FROM recording_participants WHERE recording_id = ? "
                               "ORDER BY role DESC, account_id",
                               {store::Value{info.id}}));
  for (const auto& r : rows) info.participants.push_back({r.text(0), r.text(1), r.integer(2) != 0});
  return {};
}

Result<ClipInfo> load_clip(store::Session& s, const std::string& clip_id) {
  auto rows = VEIL_TRY(s.query(std::string(kClipColumns) + "WHERE id = ?", {store::Value{clip_id}}));
  if (rows.empty()) return not_found("clip");
  return clip_of(rows[0]);
}

Result<ClipInfo> owned_clip(store::Session& s, const std::string& owner_id, const std::string& clip_id) {
  ClipInfo clip = VEIL_TRY(load_clip(s, clip_id));
  if (clip.owner_id != owner_id) return not_found("clip");  // another's clip looks like none at all
  return clip;
}

}  // namespace

Result<NewRecording> Recordings::begin(const std::string& room_id, const std::string& session_id) {
  return store::transact<NewRecording>(db_, [&](store::Session& s) -> Result<NewRecording> {
    auto rows = VEIL_TRY(s.query("SELECT rm.owner_id FROM live_sessions ls JOIN rooms rm ON rm.id = ls.room_id "
                                 "WHERE ls.id = ? AND rm.id = ?",
                                 {store::Value{session_id}, store::Value{room_id}}));
    if (rows.empty()) return not_found("live session");
    std::string owner = rows[0].text(0);
    NewRecording made{random_id(16), "", SecretBytes::random(kRecordingKeyBytes)};
    made.storage_path = "recordings/" + made.recording_id;
    auto& f = engine_.fields();
    std::string_view key(reinterpret_cast<const char*>(made.key.data()), made.key.size());
    VEIL_TRY(s.execute("INSERT INTO recordings (id, session_id, owner_id, status, storage_path, duration_ms, bytes, created_at, "
                       "key_cipher) VALUES (?, ?, ?, 'recording', ?, 0, 0, ?, ?)",
                       {store::Value{made.recording_id}, store::Value{session_id},
                        VEIL_TRY(f.encode(s, owner, kPurpose, "recording.owner", owner)),
                        VEIL_TRY(f.encode(s, owner, kPurpose, "recording.media", made.storage_path)),
                        store::Value{clock_.now()}, VEIL_TRY(f.encode(s, owner, kPurpose, "recording.key", key))}));
    return made;
  });
}

Status Recordings::add_participant(const std::string& recording_id, const std::string& account_id, const std::string& role,
                                   bool masked) {
  return db_.transaction([&](store::Session& s) -> Status {
    VEIL_TRY(s.execute("INSERT INTO recording_participants (recording_id, account_id, role, masked) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (recording_id, account_id) DO UPDATE SET role = excluded.role, masked = excluded.masked",
                       {store::Value{recording_id},
                        VEIL_TRY(engine_.fields().encode(s, account_id, kPurpose, "recording.participant", account_id)),
                        store::Value{role}, store::Value{std::int64_t{masked}}}));
    return {};
  });
}

Result<bool> Recordings::finish(const std::string& recording_id, std::int64_t duration_ms, std::int64_t bytes, bool complete) {
  return store::transact<bool>(db_, [&](store::Session& s) -> Result<bool> {
    if (duration_ms <= 0 && bytes <= 0) {
      // Nothing was recorded (the room ended at once, or the recording never started): no row.
      VEIL_TRY(s.execute("DELETE FROM recordings WHERE id = ? AND status = 'recording'", {store::Value{recording_id}}));
      return true;
    }
    VEIL_TRY(s.execute("UPDATE recordings SET status = ?, duration_ms = ?, bytes = ? WHERE id = ? AND status = 'recording'",
                       {store::Value{std::string(complete ? "ready" : "failed")}, store::Value{duration_ms},
                        store::Value{bytes}, store::Value{recording_id}}));
    return false;
  });
}

Result<std::vector<RecordingInfo>> Recordings::of_owner(const std::string& owner_id) {
  return store::read<std::vector<RecordingInfo>>(db_, [&](store::Session& s) -> Result<std::vector<RecordingInfo>> {
    std::vector<RecordingInfo> out;
    for (const auto& r : VEIL_TRY(s.query(std::string(kRecordingColumns) +
                                              "WHERE rec.owner_id = ? ORDER BY rec.created_at DESC, rec.id LIMIT 200",
                                          {store::Value{owner_id}}))) {
      out.push_back(recording_of(r));
      VEIL_TRY(add_participants(s, out.back()));
    }
    return out;
  });
}

Result<RecordingInfo> Recordings::get(const std::string& owner_id, const std::string& recording_id) {
  return store::read<RecordingInfo>(db_, [&](store::Session& s) -> Result<RecordingInfo> {
    auto rows = VEIL_TRY(s.query(std::string(kRecordingColumns) + "WHERE rec.id = ? AND rec.owner_id = ?",
                                 {store::Value{recording_id}, store::Value{owner_id}}));
    if (rows.empty()) return not_found("recording");
    RecordingInfo info = recording_of(rows[0]);
    VEIL_TRY(add_participants(s, info));
    return info;
  });
}

Result<SecretBytes> Recordings::key_in(store::Session& s, const std::string& owner_id, const std::string& recording_id) {
  auto rows = VEIL_TRY(s.query("SELECT key_cipher FROM recordings WHERE id = ? AND owner_id = ?",
                               {store::Value{recording_id}, store::Value{owner_id}}));
  if (rows.empty()) return not_found("recording");
  auto opened = engine_.fields().decode(s, owner_id, kPurpose, "recording.key", rows[0].at(0));
  // Shredded (the host's data key is gone) or never kept: the files can no longer be opened.
  if (!opened.ok() && opened.error().reason != "subject_key_missing") return opened.take_error();
  if (!opened.ok() || !opened.value() || opened.value()->reveal().size() != kRecordingKeyBytes)
    return Error{ErrorCode::PermissionDenied, "recording_key_invalid", "the recording's key cannot be opened"};
  const std::string& key = opened.value()->reveal();
  return SecretBytes(reinterpret_cast<const std::uint8_t*>(key.data()), key.size());
}

Result<SecretBytes> Recordings::key(const std::string& owner_id, const std::string& recording_id) {
  return store::read<SecretBytes>(db_, [&](store::Session& s) { return key_in(s, owner_id, recording_id); });
}

Result<std::vector<std::string>> Recordings::remove(const std::string& owner_id, const std::string& recording_id) {
  return store::transact<std::vector<std::string>>(db_, [&](store::Session& s) -> Result<std::vector<std::string>> {
    auto rows = VEIL_TRY(s.query("SELECT storage_path FROM recordings WHERE id = ? AND owner_id = ?",
                                 {store::Value{recording_id}, store::Value{owner_id}}));
    if (rows.empty()) return not_found("recording");
    std::vector<std::string> paths;
    if (!rows[0].is_null(0)) paths.push_back(rows[0].text(0));
    for (const auto& c : VEIL_TRY(s.query("SELECT storage_path FROM clips WHERE recording_id = ? AND storage_path IS NOT NULL",
                                          {store::Value{recording_id}})))
      paths.push_back(c.text(0));
    VEIL_TRY(s.execute("DELETE FROM clips WHERE recording_id = ?", {store::Value{recording_id}}));
    VEIL_TRY(s.execute("DELETE FROM recording_participants WHERE recording_id = ?", {store::Value{recording_id}}));
    VEIL_TRY(s.execute("DELETE FROM recordings WHERE id = ?", {store::Value{recording_id}}));
    VEIL_TRY(engine_.audit().append(s, {owner_id, "recording.deleted", recording_id, {{"files", paths.size()}}}));
    return paths;
  });
}

Result<ClipInfo> Recordings::start_clip(const std::string& owner_id, const std::string& recording_id, const std::string& title,
                                        std::int64_t start_ms, std::int64_t end_ms) {
  std::size_t title_length = code_points(title);
  if (title_length < 1 || title_length > 60 || title.find_first_not_of(" \t\r\n") == std::string::npos)
    return Error::invalid("clip_title_invalid");
  if (start_ms < 0 || end_ms <= start_ms) return Error::invalid("clip_range_invalid", "the end must come after the start");
  if (end_ms - start_ms > kClipMaxMs) return Error::invalid("clip_too_long");
  if (end_ms - start_ms < kClipMinMs) return Error::invalid("clip_range_invalid", "shorter than a second");
  return store::transact<ClipInfo>(db_, [&](store::Session& s) -> Result<ClipInfo> {
    auto rows = VEIL_TRY(s.query("SELECT status, duration_ms FROM recordings WHERE id = ? AND owner_id = ?",
                                 {store::Value{recording_id}, store::Value{owner_id}}));
    if (rows.empty()) return not_found("recording");
    if (rows[0].text(0) != "ready") return Error{ErrorCode::Conflict, "recording_not_ready", ""};
    if (end_ms > rows[0].integer(1)) return Error::invalid("clip_range_invalid", "past the end of the recording");
    ClipInfo clip;
    clip.id = random_id(16);
    clip.recording_id = recording_id;
    clip.owner_id = owner_id;
    clip.title = title;
    clip.status = "cutting";
    clip.start_ms = start_ms;
    clip.end_ms = end_ms;
    clip.created_at = clock_.now();
    auto& f = engine_.fields();
    VEIL_TRY(s.execute("INSERT INTO clips (id, recording_id, owner_id, title, start_ms, end_ms, status, storage_path, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, 'cutting', NULL, ?)",
                       {store::Value{clip.id}, store::Value{recording_id},
                        VEIL_TRY(f.encode(s, owner_id, kPurpose, "clip.owner", owner_id)),
                        VEIL_TRY(f.encode(s, owner_id, kPurpose, "clip.title", title)), store::Value{start_ms},
                        store::Value{end_ms}, store::Value{clip.created_at}}));
    return clip;
  });
}

Status Recordings::finish_clip(const std::string& clip_id, bool ok, std::int64_t start_ms, std::int64_t end_ms) {
  return db_.transaction([&](store::Session& s) -> Status {
    if (!ok) {
      // A cut that failed leaves nothing behind, not a row that promises a file.
      VEIL_TRY(s.execute("DELETE FROM clips WHERE id = ? AND status = 'cutting'", {store::Value{clip_id}}));
      return {};
    }
    ClipInfo clip = VEIL_TRY(load_clip(s, clip_id));
    VEIL_TRY(s.execute("UPDATE clips SET status = 'ready', storage_path = ?, start_ms = ?, end_ms = ? WHERE id = ?",
                       {VEIL_TRY(engine_.fields().encode(s, clip.owner_id, kPurpose, "clip.media", "clips/" + clip_id + ".vclip")),
                        store::Value{start_ms}, store::Value{end_ms}, store::Value{clip_id}}));
    return {};
  });
}

Result<std::vector<ClipInfo>> Recordings::clips_of(const std::string& owner_id) {
  return store::read<std::vector<ClipInfo>>(db_, [&](store::Session& s) -> Result<std::vector<ClipInfo>> {
    std::vector<ClipInfo> out;
    for (const auto& r : VEIL_TRY(s.query(std::string(kClipColumns) +
                                              "WHERE owner_id = ? AND status = 'ready' ORDER BY created_at DESC, id LIMIT 500",
                                          {store::Value{owner_id}})))
      out.push_back(clip_of(r));
    return out;
  });
}

Result<ClipInfo> Recordings::clip(const std::string& viewer, const std::string& clip_id) {
  return store::read<ClipInfo>(db_, [&](store::Session& s) -> Result<ClipInfo> {
    ClipInfo clip = VEIL_TRY(load_clip(s, clip_id));
    if (clip.status != "ready") return not_found("clip");
    // Until its host publishes it a clip is theirs alone; to anyone else it does not exist.
    if (clip.owner_id != viewer && !clip.published_at) return not_found("clip");
    return clip;
  });
}

Result<SecretBytes> Recordings::clip_key(const ClipInfo& clip) {
  return store::read<SecretBytes>(db_, [&](store::Session& s) { return key_in(s, clip.owner_id, clip.recording_id); });
}

Result<ClipInfo> Recordings::publish_clip(const std::string& owner_id, const std::string& clip_id, bool published) {
  return store::transact<ClipInfo>(db_, [&](store::Session& s) -> Result<ClipInfo> {
    ClipInfo clip = VEIL_TRY(owned_clip(s, owner_id, clip_id));
    if (clip.status != "ready") return not_found("clip");
    if (published == clip.published_at.has_value()) return clip;  // already so: nothing changes
    clip.published_at = published ? std::optional<Millis>(clock_.now()) : std::nullopt;
    VEIL_TRY(s.execute("UPDATE clips SET published_at = ? WHERE id = ?",
                       {published ? store::Value{*clip.published_at} : store::Value{store::Null{}}, store::Value{clip_id}}));
    VEIL_TRY(engine_.audit().append(s, {owner_id, published ? "clip.published" : "clip.unpublished", clip_id, {}}));
    return clip;
  });
}

Result<std::string> Recordings::remove_clip(const std::string& owner_id, const std::string& clip_id) {
  return store::transact<std::string>(db_, [&](store::Session& s) -> Result<std::string> {
    ClipInfo clip = VEIL_TRY(owned_clip(s, owner_id, clip_id));
    VEIL_TRY(s.execute("DELETE FROM clips WHERE id = ?", {store::Value{clip_id}}));
    VEIL_TRY(engine_.audit().append(s, {owner_id, "clip.deleted", clip_id, {}}));
    return clip.storage_path;
  });
}

Result<std::vector<std::string>> Recordings::abandoned(Millis ended_before) {
  return store::read<std::vector<std::string>>(db_, [&](store::Session& s) -> Result<std::vector<std::string>> {
    std::vector<std::string> ids;
    for (const auto& r : VEIL_TRY(s.query("SELECT rec.id FROM recordings rec JOIN live_sessions ls ON ls.id = rec.session_id "
                                          "WHERE rec.status = 'recording' AND ls.ended_at IS NOT NULL AND ls.ended_at < ?",
                                          {store::Value{ended_before}})))
      ids.push_back(r.text(0));
    return ids;
  });
}

Result<std::vector<std::string>> Recordings::recording_ids() {
  return store::read<std::vector<std::string>>(db_, [&](store::Session& s) -> Result<std::vector<std::string>> {
    std::vector<std::string> ids;
    for (const auto& r : VEIL_TRY(s.query("SELECT id FROM recordings", {}))) ids.push_back(r.text(0));
    return ids;
  });
}

Result<std::vector<std::string>> Recordings::clip_ids() {
  return store::read<std::vector<std::string>>(db_, [&](store::Session& s) -> Result<std::vector<std::string>> {
    std::vector<std::string> ids;
    for (const auto& r : VEIL_TRY(s.query("SELECT id FROM clips", {}))) ids.push_back(r.text(0));
    return ids;
  });
}

}  // namespace veil::live
