#include "stamped_viewer.hpp"

#include <gst/app/gstappsink.h>

#include <cstring>

#include "media/webrtc_ice.hpp"
#include "media/webrtc_negotiation.hpp"

namespace veil::bench::media {

Result<std::unique_ptr<StampedViewer>> StampedViewer::create(const CaptureLog& log, LatencySamples& samples, std::string local_address,
                                                             unsigned jitter_buffer_ms) {
  VEIL_TRY(veil::media::ensure_gstreamer());
  std::unique_ptr<StampedViewer> viewer(new StampedViewer(log, samples));
  viewer->pipeline_.reset(GST_ELEMENT(gst_object_ref_sink(gst_pipeline_new("stamped-viewer"))));
  GstElement* rtc = VEIL_TRY(veil::media::make_element("webrtcbin"));
  gst_bin_add(GST_BIN(viewer->pipeline_.get()), rtc);
  viewer->webrtcbin_ = rtc;
  gst_util_set_object_arg(G_OBJECT(rtc), "bundle-policy", "max-bundle");
  g_object_set(rtc, "latency", jitter_buffer_ms, nullptr);
  VEIL_TRY(veil::media::configure_ice(rtc, {std::move(local_address)}));
  g_signal_connect(rtc, "pad-added", G_CALLBACK(&StampedViewer::on_pad_added), viewer.get());
  if (gst_element_set_state(viewer->pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    return Error::internal("viewer pipeline did not start");
  return viewer;
}

StampedViewer::~StampedViewer() {
  if (pipeline_) gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
}

Result<std::string> StampedViewer::answer(const std::string& offer_sdp) {
  return veil::media::answer_offer(webrtcbin_, offer_sdp, "H264");
}

void StampedViewer::on_pad_added(GstElement*, GstPad* pad, StampedViewer* self) {
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC) return;
  // The stream's negotiated caps name its media; the pad's possible caps may not yet.
  veil::media::CapsRef caps(gst_pad_get_current_caps(pad));
  if (!caps) caps.reset(gst_pad_query_caps(pad, nullptr));
  const GstStructure* s = caps ? gst_caps_get_structure(caps.get(), 0) : nullptr;
  const char* media = s != nullptr ? gst_structure_get_string(s, "media") : nullptr;
  const bool video = media != nullptr && std::strcmp(media, "video") == 0;
  // One decoder thread: frame threading would hold frames back until later ones arrive.
  const char* description = video ? "queue ! rtph264depay ! h264parse ! avdec_h264 max-threads=1 ! videoconvert ! "
                                    "video/x-raw,format=I420 ! appsink name=frames sync=false emit-signals=true"
                                  : "queue ! fakesink sync=false async=false";
  GError* error = nullptr;
  GstElement* branch = gst_parse_bin_from_description(description, TRUE, &error);
  if (branch == nullptr) {
    if (error != nullptr) g_error_free(error);
    return;
  }
  if (video) {
    veil::media::GstRef<GstElement> sink(gst_bin_get_by_name(GST_BIN(branch), "frames"));
    g_signal_connect(sink.get(), "new-sample", G_CALLBACK(&StampedViewer::on_sample), self);
  }
  gst_bin_add(GST_BIN(self->pipeline_.get()), branch);
  gst_element_sync_state_with_parent(branch);
  veil::media::GstRef<GstPad> sink_pad(gst_element_get_static_pad(branch, "sink"));
  if (gst_pad_link(pad, sink_pad.get()) == GST_PAD_LINK_OK) self->streams_.fetch_add(1);
}

std::string StampedViewer::state() const {
  int ice = 0, connection = 0;
  g_object_get(webrtcbin_, "ice-connection-state", &ice, "connection-state", &connection, nullptr);
  return "ice " + std::to_string(ice) + ", connection " + std::to_string(connection) + ", streams " + std::to_string(streams_.load());
}

GstFlowReturn StampedViewer::on_sample(GstElement* appsink, StampedViewer* self) {
  GstSample* sample = gst_app_sink_pull_sample(GST_APP_SINK(appsink));
  if (sample == nullptr) return GST_FLOW_EOS;
  const std::int64_t now = monotonic_ns();
  self->frames_.fetch_add(1);
  if (auto seen = self->reader_.decoded(sample)) self->samples_.add(static_cast<double>(now - seen->captured_ns) / 1e6);
  gst_sample_unref(sample);
  return GST_FLOW_OK;
}

}  // namespace veil::bench::media
