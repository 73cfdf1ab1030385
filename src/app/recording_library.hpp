#pragma once
// The host's recordings and clips as files: replay decrypted as it is served, clips cut and sealed,
// files deleted with their rows. The rows and keys are live::Recordings'; the bytes live under
// <data_dir>/media/ (recordings/<id>/ sealed segments and a plain playlist, clips/<id>.vclip) and
// are never plain on disk: a clip is sealed under its recording's key, like the segments.
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "modules/live/recordings.hpp"

namespace veil::app {

class RecordingLibrary {
 public:
  RecordingLibrary(live::Recordings& books, std::filesystem::path media_dir)
      : books_(books), media_dir_(std::move(media_dir)) {}

  live::Recordings& books() { return books_; }

  // "index.m3u8" (the playlist) or a listed segment, decrypted: the host's own recordings only.
  // Errors: not_found (another's or no such recording, or name), recording_key_invalid (the
  // host's key was shredded), recording_corrupt.
  Result<std::string> replay(const std::string& owner_id, const std::string& recording_id, std::string_view name);
  // Cuts, seals and registers a clip; on any error nothing of it remains. Errors: as
  // Recordings::start_clip, then clip_range_invalid, recording_key_invalid, clip_cut_failed.
  Result<live::ClipInfo> cut(const std::string& owner_id, const std::string& recording_id, const std::string& title,
                             std::int64_t start_ms, std::int64_t end_ms);
  // A clip's MP4, decrypted (the caller has checked who may see it).
  Result<std::string> clip_mp4(const live::ClipInfo& clip);
  Status remove_recording(const std::string& owner_id, const std::string& recording_id);
  Status remove_clip(const std::string& owner_id, const std::string& clip_id);

 private:
  void remove_files(const std::string& storage_path);
  live::Recordings& books_;
  std::filesystem::path media_dir_;
  std::mutex cut_mutex_;  // one cut at a time: each demuxes and remuxes up to a minute of video
};

// Recordings whose session ended more than ten minutes before `now` but which were never closed
// (the process stopped mid-live): closed as failed with what their playlist lists, so what was
// recorded so far stays replayable for its 60 days; one with nothing recorded goes. Returns how many.
Result<std::int64_t> close_abandoned_recordings(live::Recordings& books, const std::filesystem::path& media_dir, Millis now);

// Retention for the files: a recording folder or clip file whose row is gone (swept after 60 days,
// deleted with the host's account, deleted by the host) is deleted. Returns how many went.
struct OrphanedMedia {
  std::int64_t recordings = 0, clips = 0;
};
Result<OrphanedMedia> remove_orphaned_media(live::Recordings& books, const std::filesystem::path& media_dir);

}  // namespace veil::app
