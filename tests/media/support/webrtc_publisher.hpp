#pragma once
// A WebRTC publisher for tests, as a browser or OBS-over-WHIP would be: a GStreamer pipeline that
// encodes a raw video source (and a tone) and offers it, send-only, through webrtcbin.
#include <gst/gst.h>

#include <memory>
#include <string>

#include "media/gst_support.hpp"
#include "util/result.hpp"

namespace veil::test {

struct PublisherOptions {
  // A gst-launch description of a live raw video source; empty: audio only (a voice room).
  std::string video = "videotestsrc is-live=true pattern=smpte ! video/x-raw,width=640,height=360,framerate=30/1";
  std::string video_codec = "VP8";  // VP8 | H264
  bool audio = true;                // a 440 Hz tone, Opus
};

class WebRtcPublisher {
 public:
  static Result<std::unique_ptr<WebRtcPublisher>> create(PublisherOptions options = {});
  ~WebRtcPublisher();
  WebRtcPublisher(const WebRtcPublisher&) = delete;
  WebRtcPublisher& operator=(const WebRtcPublisher&) = delete;

  Result<std::string> offer();  // with every candidate
  Status accept_answer(const std::string& answer_sdp);

 private:
  WebRtcPublisher() = default;
  media::GstRef<GstElement> pipeline_;
  GstElement* webrtcbin_ = nullptr;
};

// A gst-launch description of a still picture from a file, scaled and repeated as live video.
std::string still_picture_source(const std::string& path, int width = 640, int height = 360);
// A solid colour as live video (0xAARRGGBB).
std::string solid_colour_source(unsigned argb, int width = 640, int height = 360);

}  // namespace veil::test
