#pragma once
// One live session's media: every publisher decoded, composed side by side (host first, then
// co-hosts in the order they went on air) with their sound mixed, encoded once (H.264 + AAC), and
// fanned out — today to HLS; the WebRTC (Janus) and recording outputs hang off the same tees.
//
// The output never stops while the session lasts: a black picture and silence stand in when no
// one publishes, so players and segment numbering run on across a publisher's reconnect.
#include <gst/gst.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "media/face_mask.hpp"
#include "media/gst_support.hpp"
#include "media/publisher_branch.hpp"
#include "media/recording_branch.hpp"
#include "media/webrtc_viewer.hpp"
#include "util/result.hpp"

namespace veil::media {

struct RoomOutputOptions {
  std::filesystem::path hls_dir;  // index.m3u8 and its segments, written as they are cut
  int width = 640, height = 360, fps = 30;
  int video_kbps = 1000;
  int segment_seconds = 1;    // short segments: HLS latency is a few segments
  int playlist_segments = 6;  // the live window; older segments are deleted
  // RTP out to a Janus mountpoint on 127.0.0.1 (H.264 pt 96, Opus pt 111); 0: none.
  int rtp_video_port = 0, rtp_audio_port = 0;
};

class RoomPipeline {
 public:
  static Result<std::unique_ptr<RoomPipeline>> create(std::string name, RoomOutputOptions options);
  // Ends the output cleanly (the playlist gets its end marker) and tears the pipeline down.
  ~RoomPipeline();
  RoomPipeline(const RoomPipeline&) = delete;
  RoomPipeline& operator=(const RoomPipeline&) = delete;

  // Adds a publisher and returns the SDP answer for its offer. `mask` must be set for a masked
  // co-host (the branch applies it to every frame) and null otherwise; `host_view_port` (masked
  // only, 0: none) receives the unmasked picture for the host's private mountpoint.
  Result<std::string> add_publisher(const std::string& publisher_id, const std::string& offer_sdp,
                                    const std::string& video_codec, std::unique_ptr<FaceMask> mask,
                                    int host_view_port = 0);
  // The same for an RTMP encoder's push, played back from `url` (nginx-rtmp on loopback).
  Status add_rtmp_publisher(const std::string& publisher_id, const std::string& url, std::unique_ptr<FaceMask> mask,
                            int host_view_port = 0);
  // Takes the publisher's picture and sound out of the output at once; false if unknown.
  bool remove_publisher(const std::string& publisher_id);
  // Publishers from whom no media has arrived for `idle_ms` (counted from when they were added).
  std::vector<std::string> silent_publishers(std::int64_t idle_ms) const;
  std::size_t publisher_count() const;

  // The session's recording ([000] (3) 直播录像), hung off the encoded outputs after creation: the
  // composed picture (a masked co-host already blurred in it) and the mixed sound. `done` hears,
  // once, how it ended (complete: every segment was sealed and listed). Implemented in
  // room_recording.cpp.
  using RecordingDone = std::function<void(const std::string& recording_id, std::int64_t duration_ms,
                                           std::uint64_t bytes, bool complete)>;
  Status attach_recording(RecordingOptions options, RecordingDone done);
  // Closes the recording's last segment while the room runs on; the destructor calls it before the
  // end of stream. Once only: later calls do nothing.
  void finish_recording();
  std::string recording_id() const;  // empty: the session is not recorded

  // WHEP viewers whose player made the offer, each answered by a webrtcbin of its own on the
  // encoded outputs (room_viewers.cpp). Returns the SDP answer; errors as WebRtcViewer::create.
  Result<std::string> add_viewer(const std::string& viewer_id, const std::string& offer_sdp);
  bool remove_viewer(const std::string& viewer_id);  // false if unknown
  std::size_t viewer_count() const;
  std::vector<std::string> lost_viewers() const;  // whose player is gone (WebRtcViewer::lost)
  const RoomOutputOptions& options() const { return options_; }

 private:
  RoomPipeline(std::string name, RoomOutputOptions options) : name_(std::move(name)), options_(std::move(options)) {}
  Status build_output();
  Status build_rtp_output(GstElement* video_tee, GstElement* audio_tee);
  void insert(const std::string& publisher_id, std::unique_ptr<PublisherBranch> branch);
  void relayout();  // with mutex_ held
  void watch_bus();

  struct Publisher {
    std::unique_ptr<PublisherBranch> branch;
    std::int64_t added_ms = 0;
  };

  std::string name_;  // a pseudonymous id, safe in logs
  RoomOutputOptions options_;
  GstRef<GstElement> pipeline_;
  GstElement* compositor_ = nullptr;
  GstElement* audio_mixer_ = nullptr;
  mutable std::mutex mutex_;  // guards publishers_, order_
  std::map<std::string, Publisher> publishers_;
  std::vector<std::string> order_;  // who is where, left to right
  std::atomic<bool> stopping_{false};
  // The recording (room_recording.cpp): the tees it hangs off, set once by build_output.
  GstElement* video_tee_ = nullptr;
  GstElement* audio_tee_ = nullptr;
  mutable std::mutex recording_mutex_;  // guards the three below
  std::unique_ptr<RecordingBranch> recording_;
  std::string recording_id_;
  RecordingDone recording_done_;
  // The viewers (room_viewers.cpp); the destructor takes them off before the end of stream.
  void remove_all_viewers();
  mutable std::mutex viewers_mutex_;  // guards viewers_
  std::map<std::string, std::unique_ptr<WebRtcViewer>> viewers_;
  std::thread bus_thread_;
};

}  // namespace veil::media
