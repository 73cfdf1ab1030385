#include "stamped_publisher.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>


#include "frame_code.hpp"
#include "media/webrtc_ice.hpp"
#include "media/webrtc_negotiation.hpp"

namespace veil::bench::media {

namespace {

std::string description(const std::string& pattern) {
  return "webrtcbin name=rtc bundle-policy=max-bundle "
    "videotestsrc is-live=true pattern=" + pattern + " ! video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! "
    "identity name=stamp ! queue max-size-buffers=2 ! "
    "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=1000 ! "
    "video/x-h264,profile=constrained-baseline ! rtph264pay pt=102 config-interval=-1 aggregate-mode=zero-latency ! "
    "application/x-rtp,media=video,encoding-name=H264,payload=102 ! rtc. ";
}

}  // namespace

Result<std::unique_ptr<StampedPublisher>> StampedPublisher::create(CaptureLog& log, std::vector<std::string> local_addresses,
                                                                const std::string& pattern) {
  VEIL_TRY(veil::media::ensure_gstreamer());
  GstElement* pipeline = VEIL_TRY(veil::media::parse_pipeline(description(pattern)));
  std::unique_ptr<StampedPublisher> p(new StampedPublisher(log));
  p->pipeline_.reset(pipeline);
  p->webrtcbin_ = gst_bin_get_by_name(GST_BIN(pipeline), "rtc");
  gst_object_unref(p->webrtcbin_);  // the pipeline keeps it
  VEIL_TRY(veil::media::configure_ice(p->webrtcbin_, local_addresses));
  veil::media::GstRef<GstElement> stamp(gst_bin_get_by_name(GST_BIN(pipeline), "stamp"));
  veil::media::GstRef<GstPad> pad(gst_element_get_static_pad(stamp.get(), "src"));
  gst_pad_add_probe(pad.get(), GST_PAD_PROBE_TYPE_BUFFER, &StampedPublisher::on_frame, p.get(), nullptr);
  return p;
}

StampedPublisher::~StampedPublisher() {
  if (pipeline_) gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
}

// On the source's streaming thread, as each frame leaves it: paint the next counter, note the time.
GstPadProbeReturn StampedPublisher::on_frame(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<StampedPublisher*>(data);
  GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  GstVideoInfo video;
  gst_video_info_set_format(&video, GST_VIDEO_FORMAT_I420, static_cast<guint>(self->width_), static_cast<guint>(self->height_));
  GstVideoFrame frame;
  if (!gst_video_frame_map(&frame, &video, buffer, GST_MAP_WRITE)) return GST_PAD_PROBE_OK;
  const auto counter = static_cast<std::uint16_t>(self->stamped_.fetch_add(1) + 1);
  paint_frame_code(counter, static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0)), GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0),
                   static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 1)), GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 1),
                   static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 2)), GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 2));
  gst_video_frame_unmap(&frame);
  self->log_.captured(counter, monotonic_ns());
  return GST_PAD_PROBE_OK;
}

Result<std::string> StampedPublisher::offer() {
  return veil::media::create_send_offer(webrtcbin_, [&] { gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING); },
                                        std::chrono::seconds(10));
}

Status StampedPublisher::accept_answer(const std::string& answer_sdp) { return veil::media::accept_answer(webrtcbin_, answer_sdp); }

}  // namespace veil::bench::media
