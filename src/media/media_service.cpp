#include "media/media_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <vector>

#include "media/sdp_offer.hpp"
#include "util/encoding.hpp"

namespace veil::media {

namespace {

// Room ids are ours (hex); anything else names no folder and reaches no file.
bool is_room_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool is_hls_name(std::string_view name) {
  if (name == "index.m3u8") return true;
  if (name.size() != 15 || name.substr(0, 7) != "segment" || name.substr(12) != ".ts") return false;
  for (char c : name.substr(7, 5)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Error not_found() { return Error{ErrorCode::NotFound, "not_found", ""}; }

}  // namespace

Result<std::unique_ptr<MediaService>> MediaService::create(MediaOptions options, PublishAuthority& authority) {
  VEIL_TRY(ensure_gstreamer());
  std::unique_ptr<MediaService> service(new MediaService(std::move(options), authority));
  if (service->options_.janus_http != nullptr)
    service->janus_ = std::make_unique<JanusGateway>(*service->options_.janus_http, service->options_.work_dir / "janus",
                                                     [s = service.get()](std::int64_t viewer) { s->forget_janus_viewer(viewer); });
  std::error_code ec;
  // Live output from an earlier run belongs to sessions that are over.
  std::filesystem::remove_all(service->options_.work_dir / "live", ec);
  service->watchdog_ = std::thread([s = service.get()] { s->run_watchdog(); });
  return service;
}

MediaService::~MediaService() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
  std::map<std::string, Room> rooms;
  {
    std::lock_guard lock(mutex_);
    rooms.swap(rooms_);
  }
  rooms.clear();  // each pipeline ends its outputs
}

std::filesystem::path MediaService::hls_dir(const std::string& room_id) const { return options_.work_dir / "live" / room_id; }

Result<std::shared_ptr<RoomPipeline>> MediaService::pipeline_for(const PublisherGrant& grant) {
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(grant.room_id);
    if (room != rooms_.end() && room->second.pipeline && room->second.session_id == grant.session_id) return room->second.pipeline;
  }
  // A new output, built outside the lock (starting Janus takes a moment): WebRTC when Janus is
  // there, HLS always.
  RoomOutputOptions output = options_.output;
  output.hls_dir = hls_dir(grant.room_id);
  bool mountpoint = false;
  if (janus_) {
    auto mp = janus_->open_mountpoint(grant.room_id);
    mountpoint = mp.ok();
    if (mountpoint) {
      output.rtp_video_port = mp->video_port;
      output.rtp_audio_port = mp->audio_port;
    }
  }
  auto made = RoomPipeline::create(grant.room_id, output);
  if (!made.ok()) {
    if (mountpoint) janus_->close_mountpoint(grant.room_id);
    return made.take_error();
  }
  std::shared_ptr<RoomPipeline> pipeline(std::move(made).value());
  start_recording(grant, *pipeline);  // media_recordings.cpp; a race's loser records nothing
  std::shared_ptr<RoomPipeline> old;  // a previous session's pipeline ends outside the lock
  std::lock_guard lock(mutex_);
  Room& room = rooms_[grant.room_id];
  if (room.pipeline && room.session_id == grant.session_id) return room.pipeline;  // another publish won
  old = std::move(room.pipeline);
  all_stopped_watching(grant.room_id, room);  // an earlier session's viewers
  room = Room{};
  room.session_id = grant.session_id;
  room.pipeline = pipeline;
  room.mountpoint = mountpoint;
  return pipeline;
}

Result<PublishedStream> MediaService::publish(const std::string& room_id, std::string_view token, const std::string& offer_sdp) {
  if (!is_room_id(room_id)) return not_found();
  OfferSummary offer = VEIL_TRY(check_offer(offer_sdp, OfferUse::Publish));
  PublisherGrant grant = VEIL_TRY(authority_.check(room_id, token, Ingest::Whip));
  Publisher publisher{grant, random_id(16), {}, {}};
  std::string resource = publisher.resource_id;
  std::string answer = VEIL_TRY(admit(std::move(publisher), [&](RoomPipeline& pipeline, std::unique_ptr<FaceMask> mask, int host_view_port) {
    return pipeline.add_publisher(grant.account_id, offer_sdp, offer.video_codec, std::move(mask), host_view_port);
  }));
  return PublishedStream{resource, std::move(answer)};
}

Result<std::string> MediaService::admit(Publisher publisher, const AddToPipeline& add) {
  const PublisherGrant grant = publisher.grant;
  std::unique_ptr<FaceMask> mask;
  if (grant.masked) {
    // [000] 面具连线: no mask, no picture. Never a masked co-host's stream without one.
    if (!options_.make_mask) return Error{ErrorCode::Unavailable, "media_unavailable", "no face mask configured"};
    mask = VEIL_TRY(options_.make_mask());
  }
  std::shared_ptr<RoomPipeline> pipeline = VEIL_TRY(pipeline_for(grant));
  int host_view_port = 0;
  if (grant.masked && janus_) {
    // Without Janus the host sees the co-host masked, like everyone else.
    std::string key = grant.room_id + "-" + publisher.resource_id.substr(0, 8);
    auto mount = janus_->open_private_mountpoint(key);
    if (mount.ok()) {
      publisher.host_view = key;
      host_view_port = mount->video_port;
    }
  }
  auto added = add(*pipeline, std::move(mask), host_view_port);
  if (!added.ok()) {
    close_host_views({publisher.host_view});
    return added.take_error();
  }
  note_participant(*pipeline, grant);  // media_recordings.cpp
  Retired retired;  // what this publish replaces, or itself if it came too late
  bool ended = false;
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(grant.room_id);
    ended = room == rooms_.end() || room->second.pipeline != pipeline;  // the room ended while we negotiated
    if (ended) {
      pipeline->remove_publisher(grant.account_id);
      retired = Retired{grant.room_id, publisher.host_view, !publisher.rtmp_client.empty()};
    } else {
      retired = forget_publisher(room->second, grant.account_id);  // a reconnect replaces
      room->second.publishers[grant.account_id] = std::move(publisher);
    }
  }
  retire({retired});
  if (ended) return Error{ErrorCode::Conflict, "not_live", ""};
  return added;
}

MediaService::Retired MediaService::forget_publisher(Room& room, const std::string& account_id) {
  auto it = room.publishers.find(account_id);
  if (it == room.publishers.end()) return {};
  Retired retired{it->second.grant.room_id, std::move(it->second.host_view), !it->second.rtmp_client.empty()};
  room.publishers.erase(it);
  if (!retired.host_view.empty()) std::erase_if(room.viewers, [&](const auto& v) { return v.second.mount == retired.host_view; });
  return retired;
}

void MediaService::retire(const std::vector<Retired>& publishers) {
  std::vector<std::string> mounts;
  for (const auto& p : publishers) {
    mounts.push_back(p.host_view);
    // The encoder's push ends too, not only our playback of it: a revoked key stops OBS.
    if (p.rtmp) drop_rtmp_push(p.room_id);  // media_rtmp.cpp
  }
  close_host_views(mounts);
}

void MediaService::close_host_views(const std::vector<std::string>& mounts) {
  // Janus hangs up the mountpoint's viewers: the unmasked picture stops with the publisher.
  for (const auto& mount : mounts) {
    if (!mount.empty() && janus_) janus_->close_mountpoint(mount);
  }
}

Status MediaService::unpublish(const std::string& room_id, const std::string& resource_id) {
  auto taken = take_publisher(room_id, [&](const Publisher& p) { return p.resource_id == resource_id && p.rtmp_client.empty(); });
  if (!taken) return not_found();
  taken->pipeline->remove_publisher(taken->account_id);
  retire({taken->retired});
  return {};
}

std::optional<MediaService::Taken> MediaService::take_publisher(const std::string& room_id,
                                                                const std::function<bool(const Publisher&)>& which) {
  std::lock_guard lock(mutex_);
  auto room = rooms_.find(room_id);
  if (room == rooms_.end() || !room->second.pipeline) return std::nullopt;
  for (const auto& [account, p] : room->second.publishers) {
    if (!which(p)) continue;
    Taken taken{room->second.pipeline, account, {}};
    taken.retired = forget_publisher(room->second, taken.account_id);
    return taken;
  }
  return std::nullopt;
}

void MediaService::end_room(const std::string& room_id) {
  std::shared_ptr<RoomPipeline> pipeline;
  std::vector<Retired> retired;
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    if (room == rooms_.end()) return;
    pipeline = std::move(room->second.pipeline);
    for (auto& [account, p] : room->second.publishers) retired.push_back({room_id, p.host_view, !p.rtmp_client.empty()});
    all_stopped_watching(room_id, room->second);
    rooms_.erase(room);
  }
  retire(retired);
  // The recording's books are closed before the end of the room is answered, even when a publish
  // in progress still holds the pipeline.
  if (pipeline) pipeline->finish_recording();
  pipeline.reset();  // ends the outputs (unless a publish in progress still holds it)
  if (janus_) janus_->close_mountpoint(room_id);  // Janus ends the room's WebRTC viewers
  std::error_code ec;
  if (is_room_id(room_id)) std::filesystem::remove_all(hls_dir(room_id), ec);
}

std::optional<std::filesystem::path> MediaService::hls_file(const std::string& room_id, std::string_view name) const {
  if (!is_room_id(room_id) || !is_hls_name(name)) return std::nullopt;
  {
    std::lock_guard lock(mutex_);
    if (rooms_.count(room_id) == 0) return std::nullopt;
  }
  auto path = hls_dir(room_id) / std::string(name);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  return path;
}

MediaHealth MediaService::health() const {
  MediaHealth h;
  h.janus_running = janus_ && janus_->running();
  h.rtmp_running = rtmp_ && rtmp_->running();
  h.janus_restarts = janus_ ? janus_->restarts() : 0;
  h.rtmp_restarts = rtmp_ ? rtmp_->restarts() : 0;
  std::lock_guard lock(mutex_);
  h.rooms = rooms_.size();
  for (const auto& [id, room] : rooms_) {
    h.publishers += room.publishers.size();
    h.webrtc_viewers += room.viewers.size() + room.answered_viewers.size();
  }
  return h;
}

std::size_t MediaService::Room::public_viewers(const std::string& room_id) const {
  return static_cast<std::size_t>(std::count_if(viewers.begin(), viewers.end(), [&](const auto& v) { return v.second.mount == room_id; }));
}

Result<WatchOffer> MediaService::watch(const std::string& room_id, const std::string& viewer) {
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    if (room == rooms_.end() || !room->second.pipeline) return not_found();
    if (!janus_ || !room->second.mountpoint) return Error{ErrorCode::Unavailable, "janus_unavailable", "HLS only"};
    if (room->second.public_viewers(room_id) >= options_.webrtc_viewers_per_room)
      return Error{ErrorCode::Unavailable, "whep_full", "at the WebRTC viewer cap"};
  }
  return watch_mount(room_id, room_id, viewer);
}

Result<WatchOffer> MediaService::watch_unmasked(const std::string& room_id, const std::string& cohost_account_id) {
  std::string mount;
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    if (room == rooms_.end()) return not_found();
    auto p = room->second.publishers.find(cohost_account_id);
    if (p == room->second.publishers.end() || !p->second.grant.masked) return not_found();
    if (p->second.host_view.empty()) return Error{ErrorCode::Unavailable, "janus_unavailable", "no host view"};
    mount = p->second.host_view;
  }
  return watch_mount(room_id, mount, {});  // the host, counted in the room already
}

Result<WatchOffer> MediaService::watch_mount(const std::string& room_id, const std::string& mount, const std::string& audience) {
  ViewerOffer offer = VEIL_TRY(janus_->watch(mount));
  WatchOffer watch{random_id(16), std::move(offer.sdp)};
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    bool still_there = room != rooms_.end();
    if (still_there && mount != room_id) {
      still_there = std::any_of(room->second.publishers.begin(), room->second.publishers.end(),
                                [&](const auto& p) { return p.second.host_view == mount; });
    }
    if (still_there) {
      room->second.viewers[watch.resource_id] = Viewer{offer.viewer_id, mount, audience};
      if (options_.audience && !audience.empty()) options_.audience->watching(room_id, watch.resource_id, audience);
      return watch;
    }
  }
  // Outside the lock: Janus's event thread takes it to report viewers that left.
  (void)janus_->hangup(offer.viewer_id);
  return not_found();
}

Status MediaService::answer_watch(const std::string& room_id, const std::string& resource_id, const std::string& answer_sdp) {
  std::int64_t viewer = 0;
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    if (room == rooms_.end() || room->second.viewers.count(resource_id) == 0) return not_found();
    viewer = room->second.viewers[resource_id].janus_id;
  }
  if (answer_sdp.size() > kMaxSdpBytes) return Error{ErrorCode::PayloadTooLarge, "sdp_too_large", {}};
  return janus_->start(viewer, answer_sdp);
}

void MediaService::forget_janus_viewer(std::int64_t janus_id) {
  std::lock_guard lock(mutex_);
  for (auto& [room_id, room] : rooms_) {
    auto it = std::find_if(room.viewers.begin(), room.viewers.end(), [&](const auto& v) { return v.second.janus_id == janus_id; });
    if (it == room.viewers.end()) continue;
    stopped_watching(room_id, it->first, it->second.audience);
    room.viewers.erase(it);
    return;
  }
}

void MediaService::stopped_watching(const std::string& room_id, const std::string& resource_id, const std::string& audience) const {
  if (options_.audience && !audience.empty()) options_.audience->stopped_watching(room_id, resource_id);
}

void MediaService::all_stopped_watching(const std::string& room_id, const Room& room) const {
  for (const auto& [resource, viewer] : room.viewers) stopped_watching(room_id, resource, viewer.audience);
  for (const auto& [resource, audience] : room.answered_viewers) stopped_watching(room_id, resource, audience);
}

Status MediaService::stop_watching(const std::string& room_id, const std::string& resource_id) {
  std::int64_t viewer = 0;
  std::shared_ptr<RoomPipeline> answered_by;  // a viewer our webrtcbin answered
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    if (room == rooms_.end()) return not_found();
    if (forget_answered_viewer(room_id, room->second, resource_id)) answered_by = room->second.pipeline;
  }
  if (answered_by) {
    answered_by->remove_viewer(resource_id);
    return {};
  }
  {
    std::lock_guard lock(mutex_);
    auto room = rooms_.find(room_id);
    if (room == rooms_.end()) return not_found();
    auto it = room->second.viewers.find(resource_id);
    if (it == room->second.viewers.end()) return not_found();
    viewer = it->second.janus_id;
    stopped_watching(room_id, resource_id, it->second.audience);
    room->second.viewers.erase(it);
  }
  return janus_->hangup(viewer);
}

void MediaService::check_publishers() {
  struct Seen {
    std::shared_ptr<RoomPipeline> pipeline;
    PublisherGrant grant;
  };
  std::vector<Seen> seen;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, room] : rooms_) {
      for (auto& [account, p] : room.publishers) seen.push_back({room.pipeline, p.grant});
    }
  }
  std::vector<Seen> leaving;
  std::vector<Retired> retired;
  for (auto& s : seen) {
    auto allowed = authority_.still_allowed(s.grant);
    // Only a definite "no" removes: a database hiccup must not cut a live stream.
    if (allowed.ok() && !allowed.value()) leaving.push_back(s);
  }
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, room] : rooms_) {
      if (!room.pipeline) continue;
      for (const auto& account : room.pipeline->silent_publishers(options_.silent_after.count())) {
        auto p = room.publishers.find(account);
        if (p != room.publishers.end()) leaving.push_back({room.pipeline, p->second.grant});
      }
    }
    for (const auto& s : leaving) {
      auto room = rooms_.find(s.grant.room_id);
      if (room != rooms_.end()) retired.push_back(forget_publisher(room->second, s.grant.account_id));
    }
  }
  for (const auto& s : leaving) s.pipeline->remove_publisher(s.grant.account_id);
  retire(retired);
}

void MediaService::run_watchdog() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, options_.check_every, [&] { return stopping_; })) {
    lock.unlock();
    check_publishers();
    check_answered_viewers();
    lock.lock();
  }
}

}  // namespace veil::media
