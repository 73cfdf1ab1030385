#include "media/support/webrtc_publisher.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>


#include "media/webrtc_ice.hpp"
#include "media/webrtc_negotiation.hpp"

namespace veil::test {

namespace {

std::string description(const PublisherOptions& o) {
  std::string d = "webrtcbin name=rtc bundle-policy=max-bundle ";
  if (!o.video.empty()) {
    std::string encode = o.video_codec == "H264"
                             ? "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 ! video/x-h264,profile=constrained-baseline ! "
                               "rtph264pay pt=102 config-interval=-1 ! application/x-rtp,media=video,encoding-name=H264,payload=102"
                             : "vp8enc deadline=1 keyframe-max-dist=30 ! rtpvp8pay pt=96 ! "
                               "application/x-rtp,media=video,encoding-name=VP8,payload=96";
    d += o.video + " ! videoconvert ! queue ! " + encode + " ! rtc. ";
  }
  if (o.audio) {
    d += "audiotestsrc is-live=true wave=sine freq=440 volume=0.5 ! audioconvert ! audioresample ! queue ! opusenc ! "
         "rtpopuspay pt=111 ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! rtc. ";
  }
  return d;
}

}  // namespace

std::string still_picture_source(const std::string& path, int width, int height) {
  return "filesrc location=" + path + " ! decodebin ! videoconvert ! videoscale ! video/x-raw,format=I420,width=" +
         std::to_string(width) + ",height=" + std::to_string(height) + ",pixel-aspect-ratio=1/1 ! imagefreeze is-live=true ! "
         "video/x-raw,framerate=30/1";
}

std::string solid_colour_source(unsigned argb, int width, int height) {
  return "videotestsrc is-live=true pattern=solid-color foreground-color=" + std::to_string(argb) +
         " ! video/x-raw,width=" + std::to_string(width) + ",height=" + std::to_string(height) + ",framerate=30/1";
}

Result<std::unique_ptr<WebRtcPublisher>> WebRtcPublisher::create(PublisherOptions options) {
  VEIL_TRY(media::ensure_gstreamer());
  GstElement* pipeline = VEIL_TRY(media::parse_pipeline(description(options)));
  std::unique_ptr<WebRtcPublisher> p(new WebRtcPublisher());
  p->pipeline_.reset(pipeline);
  p->webrtcbin_ = gst_bin_get_by_name(GST_BIN(pipeline), "rtc");
  gst_object_unref(p->webrtcbin_);  // the pipeline keeps it alive
  VEIL_TRY(media::configure_ice(p->webrtcbin_));
  return p;
}

WebRtcPublisher::~WebRtcPublisher() {
  if (pipeline_) gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
}

Result<std::string> WebRtcPublisher::offer() {
  // We only send: the offer says so, and Veil's answer will be receive-only.
  return media::create_send_offer(webrtcbin_, [&] { gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING); },
                                  std::chrono::seconds(10));
}

Status WebRtcPublisher::accept_answer(const std::string& answer_sdp) { return media::accept_answer(webrtcbin_, answer_sdp); }

}  // namespace veil::test
