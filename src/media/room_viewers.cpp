// RoomPipeline's WHEP viewers whose player made the offer: a WebRtcViewer each on the room's
// encoded tees. Kept apart from room_pipeline.cpp, which builds and runs the live outputs.
#include "media/room_pipeline.hpp"

namespace veil::media {

Result<std::string> RoomPipeline::add_viewer(const std::string& viewer_id, const std::string& offer_sdp) {
  // Negotiated outside the lock: ICE gathering takes a moment, and other viewers come and go.
  auto viewer = VEIL_TRY(WebRtcViewer::create(*GST_BIN(pipeline_.get()), RoomTees{video_tee_, audio_tee_}, offer_sdp));
  std::string answer = viewer->answer_sdp();
  std::unique_ptr<WebRtcViewer> replaced;  // a viewer id used twice: the old one goes, outside the lock
  {
    std::lock_guard lock(viewers_mutex_);
    replaced = std::exchange(viewers_[viewer_id], std::move(viewer));
  }
  return answer;
}

bool RoomPipeline::remove_viewer(const std::string& viewer_id) {
  std::unique_ptr<WebRtcViewer> leaving;
  {
    std::lock_guard lock(viewers_mutex_);
    auto it = viewers_.find(viewer_id);
    if (it == viewers_.end()) return false;
    leaving = std::move(it->second);
    viewers_.erase(it);
  }
  leaving.reset();  // leaves the tees between two buffers; the room runs on
  return true;
}

std::size_t RoomPipeline::viewer_count() const {
  std::lock_guard lock(viewers_mutex_);
  return viewers_.size();
}

std::vector<std::string> RoomPipeline::lost_viewers() const {
  std::vector<std::string> lost;
  std::lock_guard lock(viewers_mutex_);
  for (const auto& [id, viewer] : viewers_)
    if (viewer->lost()) lost.push_back(id);
  return lost;
}

void RoomPipeline::remove_all_viewers() {
  std::map<std::string, std::unique_ptr<WebRtcViewer>> leaving;
  {
    std::lock_guard lock(viewers_mutex_);
    leaving.swap(viewers_);
  }
  leaving.clear();
}

}  // namespace veil::media
