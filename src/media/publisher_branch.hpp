#pragma once
// One publisher's way into a room's picture and sound: a webrtcbin that answers the publisher's
// offer (or an RTMP source and FLV demuxer), then for each stream that arrives a depayloader (or
// parser) and decoder, a normaliser to the room's
// source size, for a masked co-host the face mask, and a request pad on the room's compositor or
// audio mixer.
//
// Masking fails closed by construction: a masked publisher's decoded frames reach the compositor
// only through a pad probe that runs the FaceMask on every buffer before it travels on, and the
// branch is refused if no mask could be made.
//
// The host alone sees a masked co-host unmasked ([000] 面具连线: hidden from everyone "以外的主播"):
// given a host-view port, the branch splits the decoded picture before the mask and sends that
// copy, encoded on its own, as RTP to a private Janus mountpoint. That copy never meets the
// compositor, so it reaches neither HLS, the recording nor the public mountpoint.
#include <gst/gst.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "media/face_mask.hpp"
#include "util/result.hpp"

namespace veil::media {

// Where a branch delivers, and the size each decoded picture is normalised to before it is masked
// and composed.
struct MixerInputs {
  GstElement* compositor = nullptr;
  GstElement* audio_mixer = nullptr;
  int source_width = 640, source_height = 360;
};

struct Tile {
  int x = 0, y = 0, width = 0, height = 0;
};

class PublisherBranch {
 public:
  // `mask` is null for an unmasked publisher and required for a masked one. `host_view_port`
  // (masked only; 0: none) is the UDP port on 127.0.0.1 of the host's private mountpoint.
  static Result<std::unique_ptr<PublisherBranch>> create(GstBin& pipeline, MixerInputs inputs, std::string name,
                                                        std::unique_ptr<FaceMask> mask, int host_view_port = 0);
  // The same for an RTMP encoder's stream (H.264 + AAC in FLV), played back from nginx-rtmp at
  // `url`: no negotiation, the stream flows once the encoder pushes.
  static Result<std::unique_ptr<PublisherBranch>> pull_rtmp(GstBin& pipeline, MixerInputs inputs, std::string name,
                                                           std::unique_ptr<FaceMask> mask, int host_view_port,
                                                           const std::string& url);
  ~PublisherBranch();  // takes its elements out of the pipeline and releases the mixer pads
  PublisherBranch(const PublisherBranch&) = delete;
  PublisherBranch& operator=(const PublisherBranch&) = delete;

  // The SDP answer for the publisher's offer, candidates included.
  Result<std::string> answer(const std::string& offer_sdp, const std::string& video_codec);
  // Where the publisher's picture sits in the room's output.
  void place(Tile tile);
  // The monotonic time (ms) the last RTP packet arrived; 0 before the first.
  std::int64_t last_media_ms() const { return last_media_ms_.load(); }
  bool masked() const { return mask_ != nullptr; }

 private:
  PublisherBranch(GstBin& pipeline, MixerInputs inputs, std::string name, std::unique_ptr<FaceMask> mask, int host_view_port)
      : pipeline_(pipeline), inputs_(inputs), name_(std::move(name)), mask_(std::move(mask)), host_view_port_(host_view_port) {}
  static void on_pad_added(GstElement* webrtcbin, GstPad* pad, PublisherBranch* self);
  Status link_stream(GstPad* pad);
  Status add_host_view(GstElement* tee);
  Result<GstElement*> add(std::string_view factory, const std::function<void(GstElement*)>& configure = {});
  static GstPadProbeReturn on_rtp(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  static GstPadProbeReturn on_frame(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  static GstPadProbeReturn on_rtmp_video(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  static GstPadProbeReturn on_rtmp_audio(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  GstPadProbeReturn retime(GstPad* pad, GstPadProbeInfo* info, std::atomic<std::int64_t>& offset_ns);
  static constexpr std::int64_t kNoOffset = INT64_MIN;

  GstBin& pipeline_;
  MixerInputs inputs_;
  std::string name_;
  std::unique_ptr<FaceMask> mask_;
  int host_view_port_ = 0;
  GstElement* webrtcbin_ = nullptr;  // null for an RTMP stream
  bool rtmp_ = false;
  std::atomic<std::int64_t> rtmp_video_offset_{kNoOffset}, rtmp_audio_offset_{kNoOffset};  // ns
  std::mutex mutex_;  // guards elements_, mixer_pads_, video_pad_, tile_
  std::vector<GstElement*> elements_;  // ours, owned by the pipeline bin
  std::vector<std::pair<GstElement*, GstPad*>> mixer_pads_;  // request pads, released on removal
  GstPad* video_pad_ = nullptr;  // our compositor pad, once video arrived
  Tile tile_;
  std::atomic<std::int64_t> last_media_ms_{0};
};

}  // namespace veil::media
