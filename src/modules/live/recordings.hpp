#pragma once
// The books of live recordings and the clips hosts cut from them (C7, C8; [000] (3) 直播录像:
// voice and video, faces included, kept 60 days; hosts may clip recordings into short videos).
//
// Each recording has its own random 32-byte key, stored sealed by the vault under the HOST's
// subject key (`recordings.key_cipher`): the media files are readable only through it, so
// shredding the host's key makes every segment and clip of theirs unreadable. The files
// themselves are the app's (storage_path is relative to the media folder); this module never
// touches them. Who may see what: a host their own recordings and clips; anyone a published
// clip. Another person's id answers not_found, exactly like an id that does not exist.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"
#include "util/secret_bytes.hpp"

namespace veil::live {

inline constexpr std::int64_t kRecordingKeyBytes = 32;
inline constexpr std::int64_t kClipMaxMs = 60 * 1000;  // a short video
inline constexpr std::int64_t kClipMinMs = 1000;

struct RecordingParticipant {
  std::string account_id;  // pseudonymous; shown to no one but the server
  std::string role;        // host | cohost
  bool masked = false;     // their face is blurred in the recording
};

struct RecordingInfo {
  std::string id, session_id, room_id, room_title, owner_id;
  std::string status;  // recording | ready | failed
  std::string storage_path;  // relative to the media folder: "recordings/<id>"
  std::int64_t duration_ms = 0, bytes = 0;
  Millis created_at = 0;
  std::vector<RecordingParticipant> participants;
};

struct ClipInfo {
  std::string id, recording_id, owner_id, title;
  std::string status;  // cutting | ready | failed
  std::string storage_path;  // relative to the media folder: "clips/<id>.vclip"
  std::int64_t start_ms = 0, end_ms = 0;
  Millis created_at = 0;
  std::optional<Millis> published_at;
};

struct NewRecording {
  std::string recording_id, storage_path;
  SecretBytes key;
};

class Recordings {
 public:
  Recordings(store::Database& db, engine::Engine& engine, const Clock& clock) : db_(db), engine_(engine), clock_(clock) {}

  // --- the media pipeline's side
  // A recording of the room's live session, its key sealed under the room owner's key.
  // Errors: not_found (no such live session of that room).
  Result<NewRecording> begin(const std::string& room_id, const std::string& session_id);
  Status add_participant(const std::string& recording_id, const std::string& account_id, const std::string& role, bool masked);
  // Ends a recording that is still running; one with nothing recorded is deleted (returns true).
  Result<bool> finish(const std::string& recording_id, std::int64_t duration_ms, std::int64_t bytes, bool complete);

  // --- the host's side; another person's id answers not_found
  Result<std::vector<RecordingInfo>> of_owner(const std::string& owner_id);
  Result<RecordingInfo> get(const std::string& owner_id, const std::string& recording_id);
  // The recording's key. recording_key_invalid once the host's key has been shredded.
  Result<SecretBytes> key(const std::string& owner_id, const std::string& recording_id);
  // Deletes the row (and its clips' rows) and returns the storage paths to delete.
  Result<std::vector<std::string>> remove(const std::string& owner_id, const std::string& recording_id);

  // A clip row in `cutting` state for a ready recording. Errors: clip_title_invalid,
  // clip_range_invalid, clip_too_long, recording_not_ready (409), not_found.
  Result<ClipInfo> start_clip(const std::string& owner_id, const std::string& recording_id, const std::string& title,
                              std::int64_t start_ms, std::int64_t end_ms);
  // The cut is sealed on disk (or failed): ready with its real range, or failed.
  Status finish_clip(const std::string& clip_id, bool ok, std::int64_t start_ms, std::int64_t end_ms);
  Result<std::vector<ClipInfo>> clips_of(const std::string& owner_id);
  // A clip its owner may see, or anyone once published (`viewer` empty: not signed in).
  Result<ClipInfo> clip(const std::string& viewer, const std::string& clip_id);
  // The key that seals a clip: its recording's, as its owner's vault opens it.
  Result<SecretBytes> clip_key(const ClipInfo& clip);
  Result<ClipInfo> publish_clip(const std::string& owner_id, const std::string& clip_id, bool published);
  // Deletes the row and returns its storage path.
  Result<std::string> remove_clip(const std::string& owner_id, const std::string& clip_id);

  // Recordings still marked as running although their session ended before `ended_before`: their
  // pipeline stopped without closing them (the process ended).
  Result<std::vector<std::string>> abandoned(Millis ended_before);

  // --- retention: which ids still have rows (files without one are deleted by the app)
  Result<std::vector<std::string>> recording_ids();
  Result<std::vector<std::string>> clip_ids();

 private:
  Result<SecretBytes> key_in(store::Session& s, const std::string& owner_id, const std::string& recording_id);
  store::Database& db_;
  engine::Engine& engine_;
  const Clock& clock_;
};

}  // namespace veil::live
