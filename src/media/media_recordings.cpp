// MediaService's side of recordings ([000] (3) 直播录像): each live session's composed output is
// recorded from the moment its pipeline exists, and the app's RecordingKeeper keeps the books.
// A recording that cannot begin never stops the room: it goes live unrecorded, and the log says so
// with the room's pseudonymous id only.
#include <spdlog/spdlog.h>

#include "media/media_service.hpp"

namespace veil::media {

void MediaService::start_recording(const PublisherGrant& grant, RoomPipeline& pipeline) {
  RecordingKeeper* keeper = options_.recordings;
  if (keeper == nullptr) return;
  auto plan = keeper->begin(grant.room_id, grant.session_id);
  if (!plan.ok()) {
    spdlog::error("media: room {} goes live unrecorded: {}", grant.room_id, plan.error().reason);
    return;
  }
  std::string id = plan->recording_id;
  RecordingOptions options{plan->dir, id, std::move(plan->key), options_.recording_segment_seconds};
  // The keeper outlives every pipeline (the app makes it before the media service), so the
  // pipeline may report its end whenever it goes.
  Status attached = pipeline.attach_recording(
      std::move(options), [keeper](const std::string& recording_id, std::int64_t duration_ms, std::uint64_t bytes, bool complete) {
        Status noted = keeper->finish(recording_id, duration_ms, bytes, complete ? RecordingOutcome::Ready : RecordingOutcome::Failed);
        if (!noted.ok()) spdlog::error("media: recording {} could not be closed: {}", recording_id, noted.error().reason);
      });
  if (!attached.ok()) {
    spdlog::error("media: room {} goes live unrecorded: {}", grant.room_id, attached.error().detail);
    (void)keeper->finish(id, 0, 0, RecordingOutcome::Failed);
  }
}

void MediaService::note_participant(RoomPipeline& pipeline, const PublisherGrant& grant) {
  if (options_.recordings == nullptr) return;
  std::string id = pipeline.recording_id();
  if (id.empty()) return;
  Status noted = options_.recordings->participant(id, grant);
  if (!noted.ok()) spdlog::error("media: recording {} could not list a participant: {}", id, noted.error().reason);
}

}  // namespace veil::media
