#pragma once
// A WebRTC viewer for tests, as a browser watching a room would be: a webrtcbin that receives video
// (and audio), decodes the video (VP8 or H.264) to I420 into an appsink, and counts the frames, so
// a test can prove pictures arrive and look at their pixels; received sound is decoded too, and
// its loudness kept. It negotiates either way round: it
// answers an offer (Janus's Streaming plugin offers), or offers receive-only video and audio itself
// (a WHEP player). Its SDP always lists every candidate: no trickle. Its ICE gathers on the given
// addresses only, never STUN/TURN, never UPnP. One negotiation per viewer.
//
// Independent of src/media's own negotiation code on purpose: a test peer that shared it would
// agree with its bugs.
#include <gst/gst.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "media/gst_support.hpp"
#include "util/result.hpp"

namespace veil::test {

struct ViewerFrame {
  int width = 0;
  int height = 0;
  // Tightly packed: Y (width x height), then U and V (each halved, rounded up).
  std::vector<std::uint8_t> i420;
};

struct ViewerOptions {
  // The only addresses its ICE agent gathers candidates on. Loopback suits a peer that gathers on
  // loopback too (another webrtcbin, Veil's WHEP). Not Janus 1.1.2, which never offers loopback:
  // give the viewer the address Janus gathers on. Mixing fails, since libnice pins each host
  // candidate's socket to its interface (IP_UNICAST_IF), so a reply from this machine's address to
  // 127.0.0.1 leaves through that interface and is lost. Same address: the kernel delivers it
  // locally, nothing leaves the machine.
  std::vector<std::string> local_addresses = {"127.0.0.1"};
  std::chrono::milliseconds negotiation_timeout{5'000};  // each step, ICE gathering included
};

class WebRtcViewer {
 public:
  static Result<std::unique_ptr<WebRtcViewer>> create(ViewerOptions options = {});
  ~WebRtcViewer();
  WebRtcViewer(const WebRtcViewer&) = delete;
  WebRtcViewer& operator=(const WebRtcViewer&) = delete;

  // The remote side offered: our answer, after ICE gathering completed. Errors: sdp_invalid,
  // negotiation_failed.
  Result<std::string> answer(const std::string& offer_sdp);
  // We offer: receive-only video (VP8, H.264) and audio (Opus), after ICE gathering completed.
  Result<std::string> offer();
  Status accept_answer(const std::string& answer_sdp);

  int frames_decoded() const;
  // Until frames_decoded() reaches `count` (a total, not an increment) or the timeout passes.
  bool wait_for_frames(int count, std::chrono::milliseconds timeout) const;
  std::optional<ViewerFrame> last_frame() const;
  // Root mean square of the loudest decoded sound buffer so far (full scale 1; 0: none or silence).
  double loudest_sound() const;
  // Until a decoded sound buffer reaches `rms`, or the timeout passes.
  bool wait_for_sound(double rms, std::chrono::milliseconds timeout) const;
  // For a failing test's message: ICE and connection states and the first pipeline error.
  std::string describe() const;

 private:
  explicit WebRtcViewer(ViewerOptions options);
  Status set_description(const char* signal, int sdp_type, const std::string& sdp);
  Result<std::string> local_description_after_gathering();
  static void on_pad_added(GstElement* webrtcbin, GstPad* pad, WebRtcViewer* self);
  static void on_gathering_state(GstElement* webrtcbin, GParamSpec* spec, WebRtcViewer* self);
  static GstFlowReturn on_sample(GstElement* appsink, WebRtcViewer* self);
  static GstFlowReturn on_sound(GstElement* appsink, WebRtcViewer* self);
  static GstBusSyncReply on_bus_message(GstBus* bus, GstMessage* message, gpointer user_data);
  void link_received_stream(GstPad* pad);

  const ViewerOptions options_;
  media::GstRef<GstElement> pipeline_;
  GstElement* webrtcbin_ = nullptr;  // owned by pipeline_

  mutable std::mutex mutex_;  // guards everything below
  mutable std::condition_variable changed_;
  bool gathering_complete_ = false;
  int frames_ = 0;
  std::optional<ViewerFrame> last_frame_;
  double loudest_sound_ = 0;
  std::string first_error_;
};

}  // namespace veil::test
