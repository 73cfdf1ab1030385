// MediaService's RTMP ingest: nginx-rtmp asks at every publish whether the stream key is a live
// session's publish credential; on yes the room plays the push back from loopback into its
// pipeline like any other publisher (masked co-hosts masked, recorded, watched the same ways).
#include <spdlog/spdlog.h>

#include "media/media_service.hpp"
#include "util/encoding.hpp"

namespace veil::media {

Status MediaService::start_rtmp(HttpClient& http, RtmpServerOptions options) {
  if (rtmp_) return {};
  options.work_dir = options_.work_dir / "rtmp";
  auto started = RtmpServer::create(http, std::move(options));
  if (!started.ok()) {
    // The reason names a missing package or a taken port, nothing personal.
    spdlog::warn("media: RTMP ingest is off: {} {}", started.error().reason, started.error().detail);
    return started.take_error();
  }
  rtmp_ = std::move(started).value();
  return {};
}

int MediaService::rtmp_port() const { return rtmp_ ? rtmp_->port() : 0; }

Status MediaService::rtmp_publish(const std::string& room_id, std::string_view token, const std::string& client_id) {
  if (!rtmp_) return Error{ErrorCode::Unavailable, "media_unavailable", "RTMP is off"};
  if (client_id.empty()) return Error::invalid("rtmp_client_missing", "nginx names every client");
  PublisherGrant grant = VEIL_TRY(authority_.check(room_id, token, Ingest::Rtmp));
  {
    // The stream is named after the room: nginx would refuse a second push after we had let it in.
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    if (room != rooms_.end()) {
      for (const auto& [account, p] : room->second.publishers) {
        if (!p.rtmp_client.empty() && account != grant.account_id)
          return Error{ErrorCode::Conflict, "rtmp_busy", "another encoder pushes to this room"};
      }
    }
  }
  Publisher publisher{grant, random_id(16), {}, client_id};
  const std::string url = rtmp_->play_url(room_id);
  auto added = admit(std::move(publisher), [&](RoomPipeline& pipeline, std::unique_ptr<FaceMask> mask, int host_view_port) -> Result<std::string> {
    VEIL_TRY(pipeline.add_rtmp_publisher(grant.account_id, url, std::move(mask), host_view_port));
    return std::string();
  });
  if (!added.ok()) return added.take_error();
  return {};
}

void MediaService::rtmp_publish_done(const std::string& room_id, const std::string& client_id) {
  auto taken = take_publisher(room_id, [&](const Publisher& p) { return !p.rtmp_client.empty() && p.rtmp_client == client_id; });
  if (!taken) return;
  taken->retired.rtmp = false;  // nginx has ended the push already
  taken->pipeline->remove_publisher(taken->account_id);
  retire({taken->retired});
}

void MediaService::drop_rtmp_push(const std::string& room_id) {
  if (!rtmp_) return;
  Status dropped = rtmp_->drop(room_id);
  if (!dropped.ok()) spdlog::warn("media: could not end an RTMP push: {}", dropped.error().reason);
}

}  // namespace veil::media
