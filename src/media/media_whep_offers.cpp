// MediaService's WHEP viewers whose player makes the offer (what standard WHEP players send):
// Debian's Janus 1.1.2 only makes offers itself, so these are answered by a webrtcbin of Veil's
// own on the room's encoded output (RoomPipeline::add_viewer). They sit in the room's books beside
// Janus's viewers — counted in health, stopped by stop_watching, ended with the room — under a
// smaller cap of their own, since each costs more than a Janus viewer. A player gone without a
// DELETE is noticed by its failed ICE connection and taken off by the watchdog.
#include "media/media_service.hpp"
#include "media/sdp_offer.hpp"
#include "util/encoding.hpp"

namespace veil::media {

Result<PublishedStream> MediaService::watch_with_offer(const std::string& room_id, const std::string& offer_sdp,
                                                      const std::string& viewer) {
  OfferSummary offer = VEIL_TRY(check_offer(offer_sdp, OfferUse::Watch));
  // The room sends H.264 only, repacketised per viewer: a player that cannot take it plays HLS.
  if (offer.video_codec != "H264") return Error::invalid("whep_codec_unsupported", "the offer cannot receive H.264");
  PublishedStream stream{random_id(16), {}};
  std::shared_ptr<RoomPipeline> pipeline;
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    if (room == rooms_.end() || !room->second.pipeline) return Error{ErrorCode::NotFound, "not_found", ""};
    if (room->second.answered_viewers.size() >= options_.webrtcbin_viewers_per_room)
      return Error{ErrorCode::Unavailable, "whep_full", "at the webrtcbin viewer cap"};
    // Booked before the negotiation, so requests arriving together cannot pass the cap together.
    room->second.answered_viewers.emplace(stream.resource_id, viewer);
    pipeline = room->second.pipeline;
  }
  auto answer = pipeline->add_viewer(stream.resource_id, offer_sdp);
  bool kept = false;
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    bool same_room = room != rooms_.end() && room->second.pipeline == pipeline;
    // Still booked: neither the room's end nor a DELETE came while we negotiated.
    kept = answer.ok() && same_room && room->second.answered_viewers.count(stream.resource_id) != 0;
    if (!kept && same_room) room->second.answered_viewers.erase(stream.resource_id);
    // Reported once answered: a viewer refused meanwhile never counted.
    if (kept && options_.audience && !viewer.empty()) options_.audience->watching(room_id, stream.resource_id, viewer);
  }
  if (!answer.ok()) return answer.take_error();
  if (!kept) {
    pipeline->remove_viewer(stream.resource_id);
    return Error{ErrorCode::NotFound, "not_found", "the room ended while the viewer was answered"};
  }
  stream.answer_sdp = std::move(answer).value();
  return stream;
}

bool MediaService::forget_answered_viewer(const std::string& room_id, Room& room, const std::string& resource_id) const {
  auto answered = room.answered_viewers.find(resource_id);
  if (answered == room.answered_viewers.end()) return false;
  stopped_watching(room_id, resource_id, answered->second);
  room.answered_viewers.erase(answered);
  return true;
}

void MediaService::check_answered_viewers() {
  std::vector<std::pair<std::shared_ptr<RoomPipeline>, std::string>> lost;
  {
    std::lock_guard lock(mutex_);
    for (auto& [room_id, room] : rooms_) {
      if (!room.pipeline) continue;
      for (const auto& resource : room.pipeline->lost_viewers()) {
        // Not on the books: a DELETE is taking it off already.
        if (forget_answered_viewer(room_id, room, resource)) lost.emplace_back(room.pipeline, resource);
      }
    }
  }
  // Outside the lock: a viewer leaves the tees between two buffers.
  for (const auto& [pipeline, resource] : lost) pipeline->remove_viewer(resource);
}

}  // namespace veil::media
