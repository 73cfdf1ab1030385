#pragma once
// The media layer as the API layer sees it: WHIP publishing into a room, the end of a room, and
// the HLS files of live rooms. One RoomPipeline per live room, made when its first publisher
// arrives. A watchdog takes out, within a second, every publisher whose grant has ended (the
// co-host was ended, the room was ended, on this node or any other) and every publisher whose
// media stopped arriving.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "media/face_mask.hpp"
#include "media/janus_gateway.hpp"
#include "media/media_ports.hpp"
#include "media/room_pipeline.hpp"
#include "media/rtmp_server.hpp"

namespace veil::media {

struct MediaOptions {
  std::filesystem::path work_dir;  // live HLS in <work_dir>/live/<room id>/
  RoomOutputOptions output;        // per room; hls_dir is filled in
  std::chrono::milliseconds silent_after{10000};  // no media this long: the publisher has gone
  std::chrono::milliseconds check_every{1000};
  // The mask for a masked co-host. If it cannot be made the publish is refused: fail closed.
  std::function<Result<std::unique_ptr<FaceMask>>()> make_mask;
  // WebRTC viewers through Janus (started on first use, in <work_dir>/janus); null: HLS only.
  HttpClient* janus_http = nullptr;
  std::size_t webrtc_viewers_per_room = 500;  // beyond it players fall back to HLS
  // WHEP viewers whose player offers, each answered by a webrtcbin of ours (media_whep_offers.cpp);
  // dearer than Janus's, so a smaller cap. 0: refused (whep_full), players fall back to HLS.
  std::size_t webrtcbin_viewers_per_room = 10;
  // Every live session is recorded when set (media_recordings.cpp); null: no recordings.
  RecordingKeeper* recordings = nullptr;
  int recording_segment_seconds = 4;
  // Told of every public WebRTC viewer who comes and goes; null: nobody is told.
  AudienceListener* audience = nullptr;
};

// A WHEP viewer in the server-offer exchange: Janus's offer, answered later at the resource.
struct WatchOffer {
  std::string resource_id;
  std::string offer_sdp;
};

struct PublishedStream {
  std::string resource_id;  // unguessable: the WHIP resource URL is the capability to stop it
  std::string answer_sdp;
};

struct MediaHealth {
  std::size_t rooms = 0, publishers = 0, webrtc_viewers = 0;
  bool janus_running = false;
  bool rtmp_running = false;  // false too when RTMP is off
  int janus_restarts = 0, rtmp_restarts = 0;  // after dying: each restart is a dropped stream
};

class MediaService {
 public:
  static Result<std::unique_ptr<MediaService>> create(MediaOptions options, PublishAuthority& authority);
  ~MediaService();
  MediaService(const MediaService&) = delete;
  MediaService& operator=(const MediaService&) = delete;

  // WHIP. Errors: publish_denied (403), sdp_* (400/413), media_unavailable (503). A second publish
  // by the same person replaces the first (a reconnect).
  Result<PublishedStream> publish(const std::string& room_id, std::string_view token, const std::string& offer_sdp);
  // Errors: not_found (an unknown or already stopped resource).
  Status unpublish(const std::string& room_id, const std::string& resource_id);
  // The room's session ended: its pipeline ends its outputs and goes.
  void end_room(const std::string& room_id);

  // WHEP through Janus. `viewer`: the person's pseudonym in the room, for the AudienceListener
  // (empty: not reported). Errors: not_found (no live output), whep_full (503: the room's WebRTC
  // viewers are at the cap; play HLS), janus_unavailable (503).
  Result<WatchOffer> watch(const std::string& room_id, const std::string& viewer = {});
  // WHEP for the host's unmasked view of a masked co-host (the co-host's account id); the caller
  // has checked that the host asks. Errors: not_found (no such masked publisher now),
  // janus_unavailable. The resource is answered and stopped like any other WHEP viewer's.
  Result<WatchOffer> watch_unmasked(const std::string& room_id, const std::string& cohost_account_id);
  Status answer_watch(const std::string& room_id, const std::string& resource_id, const std::string& answer_sdp);
  // WHEP as standard players do it: the player's offer, answered by a webrtcbin of Veil's own on
  // the room's encoded output (media_whep_offers.cpp), stopped by stop_watching like the others.
  // Errors: sdp_invalid (400), sdp_too_large (413), whep_codec_unsupported (400: no H.264),
  // not_found (no live output), whep_full (503: at webrtcbin_viewers_per_room; play HLS),
  // media_unavailable (503).
  Result<PublishedStream> watch_with_offer(const std::string& room_id, const std::string& offer_sdp,
                                           const std::string& viewer = {});
  Status stop_watching(const std::string& room_id, const std::string& resource_id);

  // OBS and other RTMP encoders, through nginx-rtmp (media_rtmp.cpp). Started once the HTTP server
  // is up, since nginx calls it back at `options.hook_url`; an error leaves RTMP off.
  Status start_rtmp(HttpClient& http, RtmpServerOptions options);
  // The RTMP port encoders connect to; 0 when RTMP is off.
  int rtmp_port() const;
  // nginx's on_publish: stream `room_id`, key `token`, nginx's `client_id` for the connection.
  // Plays the push into the room; errors (nginx then refuses the push): publish_denied, rtmp_busy
  // (another person's encoder pushes to the room), not_live, media_unavailable.
  Status rtmp_publish(const std::string& room_id, std::string_view token, const std::string& client_id);
  // nginx's on_publish_done for that connection: its picture leaves the room at once.
  void rtmp_publish_done(const std::string& room_id, const std::string& client_id);

  // A file of a live room's HLS output ("index.m3u8", "segment00042.ts"); nullopt for any other
  // name or a room without output.
  std::optional<std::filesystem::path> hls_file(const std::string& room_id, std::string_view name) const;
  MediaHealth health() const;
  // One watchdog pass now (the background thread runs one every check_every).
  void check_publishers();
  // Takes off the viewers Veil's webrtcbins answered whose player is gone without a DELETE, so
  // they stop counting and free their place under the cap. Also run by the watchdog.
  void check_answered_viewers();

 private:
  struct Publisher {
    PublisherGrant grant;
    std::string resource_id;
    std::string host_view;  // a masked co-host's private Janus mountpoint, if there is one
    std::string rtmp_client;  // nginx's client id of an RTMP encoder's push (one per room); empty: WHIP
  };
  // A publisher taken off the books, whose host view and RTMP push are still to close.
  struct Retired {
    std::string room_id, host_view;
    bool rtmp = false;
  };
  struct Viewer {
    std::int64_t janus_id = 0;
    std::string mount;     // the room id (the public output) or a host view
    std::string audience;  // the pseudonym reported to the AudienceListener; empty: not reported
  };
  struct Room {
    std::string session_id;
    std::shared_ptr<RoomPipeline> pipeline;   // shared with a publish in progress
    std::map<std::string, Publisher> publishers;  // by account id
    bool mountpoint = false;                      // a Janus mountpoint is fed
    std::map<std::string, Viewer> viewers;        // by WHEP resource
    std::map<std::string, std::string> answered_viewers;  // WHEP resources our webrtcbins answered -> audience
    std::size_t public_viewers(const std::string& room_id) const;
  };

  MediaService(MediaOptions options, PublishAuthority& authority) : options_(std::move(options)), authority_(authority) {}
  Result<std::shared_ptr<RoomPipeline>> pipeline_for(const PublisherGrant& grant);
  std::filesystem::path hls_dir(const std::string& room_id) const;
  void run_watchdog();
  // The session's recording (media_recordings.cpp): begun with the pipeline, told who goes on air.
  void start_recording(const PublisherGrant& grant, RoomPipeline& pipeline);
  void note_participant(RoomPipeline& pipeline, const PublisherGrant& grant);
  // Puts a checked publisher on air: its mask, the room's pipeline, the host view, `add` to the
  // pipeline, the recording's participants and the room's books. Returns what `add` returned.
  using AddToPipeline = std::function<Result<std::string>(RoomPipeline&, std::unique_ptr<FaceMask>, int host_view_port)>;
  Result<std::string> admit(Publisher publisher, const AddToPipeline& add);
  void drop_rtmp_push(const std::string& room_id);
  Result<WatchOffer> watch_mount(const std::string& room_id, const std::string& mount, const std::string& audience);
  // With mutex_ held: tells the AudienceListener that a viewer (all of a room's) stopped watching.
  void stopped_watching(const std::string& room_id, const std::string& resource_id, const std::string& audience) const;
  void all_stopped_watching(const std::string& room_id, const Room& room) const;
  // With mutex_ held: takes a viewer our webrtcbin answered off the room's books and out of the
  // audience; false if it is not there. The caller removes it from the pipeline, outside the lock.
  bool forget_answered_viewer(const std::string& room_id, Room& room, const std::string& resource_id) const;
  // A Janus viewer that left without DELETE (its tab closed, Janus restarted): off the books, so
  // it no longer counts or holds a place under the cap.
  void forget_janus_viewer(std::int64_t janus_id);
  // With mutex_ held: takes the publisher out of the room's books (its host view's viewers with
  // it); retire() then closes what it leaves, outside the lock.
  static Retired forget_publisher(Room& room, const std::string& account_id);
  // The room's first publisher `which` picks, taken off the books (under the lock); the caller
  // then removes it from the pipeline and retires it.
  struct Taken {
    std::shared_ptr<RoomPipeline> pipeline;
    std::string account_id;
    Retired retired;
  };
  std::optional<Taken> take_publisher(const std::string& room_id, const std::function<bool(const Publisher&)>& which);
  void retire(const std::vector<Retired>& publishers);
  void close_host_views(const std::vector<std::string>& mounts);

  MediaOptions options_;
  PublishAuthority& authority_;
  mutable std::mutex mutex_;  // guards rooms_ and stopping_
  std::map<std::string, Room> rooms_;
  bool stopping_ = false;
  std::unique_ptr<JanusGateway> janus_;  // null: HLS only
  std::unique_ptr<RtmpServer> rtmp_;     // null: no RTMP ingest; set once, before any publish
  std::condition_variable wake_;
  std::thread watchdog_;
};

}  // namespace veil::media
