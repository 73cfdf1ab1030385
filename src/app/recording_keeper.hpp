#pragma once
// The media layer's recording books, kept by the live module: a live session's recording gets its
// row, its own key (sealed under the host's key) and a folder of its own under
// <data_dir>/media/recordings/; who goes on air is listed; how it ended is noted.
#include <filesystem>

#include "media/media_ports.hpp"
#include "modules/live/recordings.hpp"

namespace veil::app {

class RecordingKeeper final : public media::RecordingKeeper {
 public:
  RecordingKeeper(live::Recordings& recordings, std::filesystem::path media_dir)
      : recordings_(recordings), media_dir_(std::move(media_dir)) {}
  Result<media::RecordingPlan> begin(const std::string& room_id, const std::string& session_id) override;
  Status participant(const std::string& recording_id, const media::PublisherGrant& grant) override;
  Status finish(const std::string& recording_id, std::int64_t duration_ms, std::uint64_t bytes,
                media::RecordingOutcome outcome) override;

 private:
  live::Recordings& recordings_;
  std::filesystem::path media_dir_;
};

}  // namespace veil::app
