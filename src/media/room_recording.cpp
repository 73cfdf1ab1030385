// RoomPipeline's recording: a RecordingBranch on the room's encoded tees, and the one report of how
// it ended. Kept apart from room_pipeline.cpp, which builds and runs the live outputs.
#include <spdlog/spdlog.h>

#include "media/room_pipeline.hpp"

namespace veil::media {

Status RoomPipeline::attach_recording(RecordingOptions options, RecordingDone done) {
  std::lock_guard lock(recording_mutex_);
  if (recording_ || !recording_id_.empty())
    return Error{ErrorCode::Conflict, "conflict", "the room is recorded already"};
  std::string id = options.recording_id;
  recording_ = VEIL_TRY(RecordingBranch::attach(*GST_BIN(pipeline_.get()), video_tee_, audio_tee_, std::move(options)));
  recording_id_ = std::move(id);
  recording_done_ = std::move(done);
  return {};
}

void RoomPipeline::finish_recording() {
  std::unique_ptr<RecordingBranch> recording;
  RecordingDone done;
  std::string id;
  {
    std::lock_guard lock(recording_mutex_);
    recording = std::move(recording_);
    done = std::move(recording_done_);
    id = recording_id_;  // kept: recording_id() still names it after the end
  }
  if (!recording) return;
  Status finished = recording->finish();
  if (!finished.ok()) {
    // The recording's id and the error's reason only: nothing about who was on air.
    spdlog::error("media: recording {} ended with an error: {}", id, finished.error().reason);
  }
  std::int64_t duration_ms = recording->duration_ms();
  std::uint64_t bytes = recording->bytes();
  bool complete = finished.ok() && recording->segments() > 0;
  recording.reset();
  if (done) done(id, duration_ms, bytes, complete);
}

std::string RoomPipeline::recording_id() const {
  std::lock_guard lock(recording_mutex_);
  return recording_id_;
}

}  // namespace veil::media
