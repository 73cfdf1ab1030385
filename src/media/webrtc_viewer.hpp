#pragma once
// One WHEP viewer whose player made the offer (what standard WHEP players do), answered by a
// webrtcbin of Veil's own that sends the room's output as it is already encoded: the H.264
// picture repacketised with the payload type the offer gave it, and the mixed sound encoded to
// Opus. Nothing is decoded or encoded again for the picture, so a viewer costs a payloader, an
// Opus encoder and its webrtcbin.
//
// The tee trap (docs/architecture.md): a branch linked to the room's running tees before its
// webrtcbin is ready stalls the whole room. So the branch is negotiated while its payloaders are
// stopped and out of the data path, then started, and linked to the tees last; it leaves the other
// way round: unlinked from the tees between two buffers, then stopped and removed.
#include <gst/gst.h>

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "media/webrtc_negotiation.hpp"
#include "util/result.hpp"

namespace veil::media {

// The room's encoded outputs a viewer hangs off.
struct RoomTees {
  GstElement* video = nullptr;  // H.264 byte-stream, constrained baseline, a key frame a segment
  GstElement* audio = nullptr;  // raw audio, the room's mix
};

class WebRtcViewer {
 public:
  // Builds the branch in `pipeline` (running), answers `offer_sdp` with every candidate and links
  // the branch to the tees. Errors: sdp_invalid, whep_codec_unsupported (the offer cannot receive
  // H.264 in packetization-mode 1), media_unavailable.
  static Result<std::unique_ptr<WebRtcViewer>> create(GstBin& pipeline, RoomTees tees, const std::string& offer_sdp);
  ~WebRtcViewer();  // leaves the tees first; the room runs on
  WebRtcViewer(const WebRtcViewer&) = delete;
  WebRtcViewer& operator=(const WebRtcViewer&) = delete;

  const std::string& answer_sdp() const { return answer_sdp_; }
  // The player is gone without hanging up (a closed tab, a lost network) or never connected:
  // its ICE connection failed. The owner removes the viewer.
  bool lost() const { return *lost_; }

 private:
  WebRtcViewer(GstBin& pipeline, RoomTees tees) : pipeline_(pipeline), tees_(tees) {}
  // Added to the pipeline but left stopped: it starts in start(), after the negotiation.
  Result<GstElement*> add(std::string_view factory);
  // Between the offer and the answer: a sending chain on webrtcbin's pad for the first video and
  // the first audio section that have a codec.
  Result<std::vector<unsigned>> attach(const std::vector<OfferedSection>& sections);
  Status link_to_webrtcbin(GstElement* payloader, unsigned mline);
  Status start();
  void leave_tees();

  GstBin& pipeline_;
  RoomTees tees_;
  GstElement* webrtcbin_ = nullptr;
  GstElement* video_in_ = nullptr;  // the queues the tees feed; null: that kind is not sent
  GstElement* audio_in_ = nullptr;
  std::vector<GstElement*> chain_;  // in data order, the payloaders' chains; owned by the bin
  std::vector<std::pair<GstElement*, GstPad*>> tee_pads_;  // request pads, ours to release
  std::string answer_sdp_;
  // Set from webrtcbin's thread; shared with the signal handler, which may outlive this object.
  std::shared_ptr<std::atomic<bool>> lost_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace veil::media
