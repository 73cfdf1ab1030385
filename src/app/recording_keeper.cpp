#include "app/recording_keeper.hpp"

namespace veil::app {

Result<media::RecordingPlan> RecordingKeeper::begin(const std::string& room_id, const std::string& session_id) {
  live::NewRecording made = VEIL_TRY(recordings_.begin(room_id, session_id));
  return media::RecordingPlan{std::move(made.recording_id), std::move(made.key), media_dir_ / made.storage_path};
}

Status RecordingKeeper::participant(const std::string& recording_id, const media::PublisherGrant& grant) {
  return recordings_.add_participant(recording_id, grant.account_id, grant.role, grant.masked);
}

Status RecordingKeeper::finish(const std::string& recording_id, std::int64_t duration_ms, std::uint64_t bytes,
                               media::RecordingOutcome outcome) {
  bool removed = VEIL_TRY(recordings_.finish(recording_id, duration_ms, static_cast<std::int64_t>(bytes),
                                             outcome == media::RecordingOutcome::Ready));
  if (removed) {
    // Nothing was recorded: the (empty) folder goes with the row.
    std::error_code ec;
    std::filesystem::remove_all(media_dir_ / "recordings" / recording_id, ec);
  }
  return {};
}

}  // namespace veil::app
