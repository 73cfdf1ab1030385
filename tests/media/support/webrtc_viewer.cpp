#include "media/support/webrtc_viewer.hpp"

#include "media/webrtc_ice.hpp"

#include <gst/app/gstappsink.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API  // webrtcbin's transceiver API is marked unstable in 1.22
#include <gst/webrtc/webrtc.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace veil::test {

namespace {

struct PromiseUnref {
  void operator()(GstPromise* promise) const { gst_promise_unref(promise); }
};
using PromisePtr = std::unique_ptr<GstPromise, PromiseUnref>;

struct DescriptionFree {
  void operator()(GstWebRTCSessionDescription* description) const {
    gst_webrtc_session_description_free(description);
  }
};
using DescriptionPtr = std::unique_ptr<GstWebRTCSessionDescription, DescriptionFree>;

Error negotiation_failed(std::string detail) {
  return {ErrorCode::Internal, "negotiation_failed", std::move(detail)};
}

// Emits a webrtcbin action signal that answers through a promise and waits for the reply.
Result<PromisePtr> call(GstElement* webrtcbin, const char* signal, gpointer argument) {
  PromisePtr promise(gst_promise_new());
  g_signal_emit_by_name(webrtcbin, signal, argument, promise.get());
  if (gst_promise_wait(promise.get()) != GST_PROMISE_RESULT_REPLIED)
    return negotiation_failed(std::string(signal) + ": no reply");
  const GstStructure* reply = gst_promise_get_reply(promise.get());
  if (reply != nullptr && gst_structure_has_field(reply, "error")) {
    GError* error = nullptr;
    gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr);
    std::string detail =
        std::string(signal) + ": " + (error != nullptr ? error->message : "refused");
    if (error != nullptr) g_error_free(error);
    return negotiation_failed(detail);
  }
  return promise;
}

// What a browser viewer offers to receive. PLI feedback lets the sender be asked for a keyframe.
constexpr const char* kVideoCaps =
    "application/"
    "x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000,rtcp-fb-nack-pli=(boolean)"
    "true;"
    "application/"
    "x-rtp,media=video,encoding-name=H264,payload=102,clock-rate=90000,packetization-mode=(string)"
    "1,"
    "profile-level-id=(string)42e01f,level-asymmetry-allowed=(string)1,rtcp-fb-nack-pli=(boolean)"
    "true";
constexpr const char* kAudioCaps =
    "application/"
    "x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000,encoding-params=(string)2";

}  // namespace

WebRtcViewer::WebRtcViewer(ViewerOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<WebRtcViewer>> WebRtcViewer::create(ViewerOptions options) {
  VEIL_TRY(media::ensure_gstreamer());
  std::unique_ptr<WebRtcViewer> viewer(new WebRtcViewer(std::move(options)));
  viewer->pipeline_.reset(gst_pipeline_new(nullptr));
  GstElement* webrtcbin = VEIL_TRY(media::make_element("webrtcbin"));
  gst_bin_add(GST_BIN(viewer->pipeline_.get()), webrtcbin);
  viewer->webrtcbin_ = webrtcbin;
  g_object_set(webrtcbin, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, nullptr);

  // Addresses given to the nice agent before any gathering are the only ones it uses; without
  // them libnice gathers on every non-loopback interface.
  if (auto ice = media::configure_ice(webrtcbin, viewer->options_.local_addresses); !ice.ok())
    return negotiation_failed(ice.error().detail);

  g_signal_connect(webrtcbin, "pad-added", G_CALLBACK(&WebRtcViewer::on_pad_added), viewer.get());
  g_signal_connect(webrtcbin, "notify::ice-gathering-state",
                   G_CALLBACK(&WebRtcViewer::on_gathering_state), viewer.get());
  media::GstRef<GstBus> bus(gst_pipeline_get_bus(GST_PIPELINE(viewer->pipeline_.get())));
  gst_bus_set_sync_handler(bus.get(), &WebRtcViewer::on_bus_message, viewer.get(), nullptr);
  if (gst_element_set_state(viewer->pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    return negotiation_failed("viewer pipeline refused to play");
  return viewer;
}

WebRtcViewer::~WebRtcViewer() {
  if (!pipeline_) return;
  gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
  media::GstRef<GstBus> bus(gst_pipeline_get_bus(GST_PIPELINE(pipeline_.get())));
  gst_bus_set_sync_handler(bus.get(), nullptr, nullptr, nullptr);
}

Status WebRtcViewer::set_description(const char* signal, int sdp_type, const std::string& sdp) {
  GstSDPMessage* message = nullptr;
  if (gst_sdp_message_new_from_text(sdp.c_str(), &message) != GST_SDP_OK || message == nullptr ||
      gst_sdp_message_medias_len(message) == 0) {
    if (message != nullptr) gst_sdp_message_free(message);
    return Error::invalid("sdp_invalid");
  }
  DescriptionPtr description(
      gst_webrtc_session_description_new(static_cast<GstWebRTCSDPType>(sdp_type), message));
  VEIL_TRY(call(webrtcbin_, signal, description.get()));
  return {};
}

Result<std::string> WebRtcViewer::answer(const std::string& offer_sdp) {
  {
    std::lock_guard lock(mutex_);
    gathering_complete_ = false;
  }
  VEIL_TRY(set_description("set-remote-description", GST_WEBRTC_SDP_TYPE_OFFER, offer_sdp));
  PromisePtr created = VEIL_TRY(call(webrtcbin_, "create-answer", nullptr));
  GstWebRTCSessionDescription* raw = nullptr;
  gst_structure_get(gst_promise_get_reply(created.get()), "answer",
                    GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &raw, nullptr);
  if (raw == nullptr) return negotiation_failed("create-answer gave no answer");
  DescriptionPtr answer(raw);
  VEIL_TRY(call(webrtcbin_, "set-local-description", answer.get()));
  return local_description_after_gathering();
}

Result<std::string> WebRtcViewer::offer() {
  {
    std::lock_guard lock(mutex_);
    gathering_complete_ = false;
  }
  auto add_receiver = [this](const char* caps_text) {
    media::CapsRef caps = media::caps_from_string(caps_text);
    GstWebRTCRTPTransceiver* transceiver = nullptr;
    g_signal_emit_by_name(webrtcbin_, "add-transceiver",
                          GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, caps.get(), &transceiver);
    if (transceiver != nullptr) gst_object_unref(transceiver);
    return transceiver != nullptr;
  };
  if (!add_receiver(kVideoCaps) || !add_receiver(kAudioCaps))
    return negotiation_failed("add-transceiver failed");
  PromisePtr created = VEIL_TRY(call(webrtcbin_, "create-offer", nullptr));
  GstWebRTCSessionDescription* raw = nullptr;
  gst_structure_get(gst_promise_get_reply(created.get()), "offer",
                    GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &raw, nullptr);
  if (raw == nullptr) return negotiation_failed("create-offer gave no offer");
  DescriptionPtr offer(raw);
  VEIL_TRY(call(webrtcbin_, "set-local-description", offer.get()));
  return local_description_after_gathering();
}

Status WebRtcViewer::accept_answer(const std::string& answer_sdp) {
  return set_description("set-remote-description", GST_WEBRTC_SDP_TYPE_ANSWER, answer_sdp);
}

Result<std::string> WebRtcViewer::local_description_after_gathering() {
  {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, options_.negotiation_timeout,
                           [this] { return gathering_complete_; }))
      return negotiation_failed("ICE gathering did not complete");
  }
  // webrtcbin writes each gathered candidate into its local description.
  GstWebRTCSessionDescription* raw = nullptr;
  g_object_get(webrtcbin_, "local-description", &raw, nullptr);
  if (raw == nullptr) return negotiation_failed("no local description");
  DescriptionPtr description(raw);
  media::GCharPtr text(gst_sdp_message_as_text(description->sdp));
  std::string sdp = text.get();
  if (sdp.find("a=candidate:") == std::string::npos)
    return negotiation_failed("local description lists no candidate");
  return sdp;
}

void WebRtcViewer::on_gathering_state(GstElement* webrtcbin, GParamSpec*, WebRtcViewer* self) {
  GstWebRTCICEGatheringState state = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
  g_object_get(webrtcbin, "ice-gathering-state", &state, nullptr);
  if (state != GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE) return;
  std::lock_guard lock(self->mutex_);
  self->gathering_complete_ = true;
  self->changed_.notify_all();
}

void WebRtcViewer::on_pad_added(GstElement*, GstPad* pad, WebRtcViewer* self) {
  if (GST_PAD_DIRECTION(pad) == GST_PAD_SRC) self->link_received_stream(pad);
}

// Runs on a webrtcbin streaming thread when a stream starts arriving: video goes through decodebin
// (depayloader and decoder for whichever codec was negotiated) to I420 frames in an appsink; audio
// is decoded to float samples whose loudness on_sound keeps.
void WebRtcViewer::link_received_stream(GstPad* pad) {
  media::CapsRef caps(gst_pad_get_current_caps(pad));
  if (!caps) caps.reset(gst_pad_query_caps(pad, nullptr));
  const GstStructure* structure = caps ? gst_caps_get_structure(caps.get(), 0) : nullptr;
  const char* media = structure != nullptr ? gst_structure_get_string(structure, "media") : nullptr;
  const bool video = media != nullptr && std::strcmp(media, "video") == 0;

  // Not gst_parse's ghost_unlinked_pads: at parse time videoconvert's sink is unlinked too (it
  // waits for decodebin's pad), and it would become the bin's "sink".
  GError* error = nullptr;
  GstElement* branch = gst_parse_bin_from_description(
      video ? "queue name=in ! decodebin ! videoconvert ! video/x-raw,format=I420 ! appsink "
              "name=frames sync=false"
            : "queue name=in ! decodebin ! audioconvert ! audio/x-raw,format=F32LE ! appsink "
              "name=sound sync=false",
      FALSE, &error);
  if (branch == nullptr || error != nullptr) {
    std::lock_guard lock(mutex_);
    if (first_error_.empty())
      first_error_ = error != nullptr ? error->message : "cannot build the receiving branch";
    if (error != nullptr) g_error_free(error);
    return;
  }
  {
    media::GstRef<GstElement> input(gst_bin_get_by_name(GST_BIN(branch), "in"));
    media::GstRef<GstPad> target(gst_element_get_static_pad(input.get(), "sink"));
    gst_element_add_pad(branch, gst_ghost_pad_new("sink", target.get()));
  }
  if (video) {
    GstElement* appsink = gst_bin_get_by_name(GST_BIN(branch), "frames");
    g_object_set(appsink, "emit-signals", TRUE, nullptr);
    g_signal_connect(appsink, "new-sample", G_CALLBACK(&WebRtcViewer::on_sample), this);
    gst_object_unref(appsink);
  } else {
    GstElement* appsink = gst_bin_get_by_name(GST_BIN(branch), "sound");
    g_object_set(appsink, "emit-signals", TRUE, nullptr);
    g_signal_connect(appsink, "new-sample", G_CALLBACK(&WebRtcViewer::on_sound), this);
    gst_object_unref(appsink);
  }
  gst_bin_add(GST_BIN(pipeline_.get()), branch);
  gst_element_sync_state_with_parent(branch);
  media::GstRef<GstPad> sink(gst_element_get_static_pad(branch, "sink"));
  const GstPadLinkReturn linked = gst_pad_link(pad, sink.get());
  if (linked != GST_PAD_LINK_OK) {
    std::lock_guard lock(mutex_);
    if (first_error_.empty())
      first_error_ = std::string("cannot link a received stream: ") +
                     gst_pad_link_get_name(linked) + " " +
                     (caps ? media::GCharPtr(gst_caps_to_string(caps.get())).get() : "no caps");
  }
}

GstFlowReturn WebRtcViewer::on_sample(GstElement* appsink, WebRtcViewer* self) {
  GstSample* sample = gst_app_sink_pull_sample(GST_APP_SINK(appsink));
  if (sample == nullptr) return GST_FLOW_EOS;
  GstVideoInfo info;
  GstVideoFrame frame;
  ViewerFrame copy;
  if (gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) &&
      gst_video_frame_map(&frame, &info, gst_sample_get_buffer(sample), GST_MAP_READ)) {
    copy.width = GST_VIDEO_INFO_WIDTH(&info);
    copy.height = GST_VIDEO_INFO_HEIGHT(&info);
    // Planes row by row: the decoder's strides may be padded, the copy is tightly packed.
    for (guint plane = 0; plane < 3; ++plane) {
      const int width = GST_VIDEO_FRAME_COMP_WIDTH(&frame, plane);
      const int height = GST_VIDEO_FRAME_COMP_HEIGHT(&frame, plane);
      const std::ptrdiff_t stride = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, plane);
      const auto* data =
          static_cast<const std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, plane));
      for (std::ptrdiff_t row = 0; row < height; ++row)
        copy.i420.insert(copy.i420.end(), data + row * stride, data + row * stride + width);
    }
    gst_video_frame_unmap(&frame);
  }
  gst_sample_unref(sample);
  std::lock_guard lock(self->mutex_);
  ++self->frames_;
  self->last_frame_ = std::move(copy);
  self->changed_.notify_all();
  return GST_FLOW_OK;
}

GstFlowReturn WebRtcViewer::on_sound(GstElement* appsink, WebRtcViewer* self) {
  GstSample* sample = gst_app_sink_pull_sample(GST_APP_SINK(appsink));
  if (sample == nullptr) return GST_FLOW_EOS;
  double rms = 0;
  GstMapInfo map;
  if (gst_buffer_map(gst_sample_get_buffer(sample), &map, GST_MAP_READ)) {
    const std::size_t count = map.size / sizeof(float);
    double sum = 0;
    for (std::size_t i = 0; i < count; ++i) {
      float value = 0;
      std::memcpy(&value, map.data + i * sizeof(float), sizeof(float));
      sum += static_cast<double>(value) * value;
    }
    rms = count > 0 ? std::sqrt(sum / static_cast<double>(count)) : 0;
    gst_buffer_unmap(gst_sample_get_buffer(sample), &map);
  }
  gst_sample_unref(sample);
  std::lock_guard lock(self->mutex_);
  self->loudest_sound_ = std::max(self->loudest_sound_, rms);
  self->changed_.notify_all();
  return GST_FLOW_OK;
}

GstBusSyncReply WebRtcViewer::on_bus_message(GstBus*, GstMessage* message, gpointer user_data) {
  auto* self = static_cast<WebRtcViewer*>(user_data);
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
    GError* error = nullptr;
    gst_message_parse_error(message, &error, nullptr);
    std::lock_guard lock(self->mutex_);
    if (self->first_error_.empty() && error != nullptr) self->first_error_ = error->message;
    if (error != nullptr) g_error_free(error);
  }
  return GST_BUS_DROP;
}

int WebRtcViewer::frames_decoded() const {
  std::lock_guard lock(mutex_);
  return frames_;
}

bool WebRtcViewer::wait_for_frames(int count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return frames_ >= count; });
}

std::optional<ViewerFrame> WebRtcViewer::last_frame() const {
  std::lock_guard lock(mutex_);
  return last_frame_;
}

double WebRtcViewer::loudest_sound() const {
  std::lock_guard lock(mutex_);
  return loudest_sound_;
}

bool WebRtcViewer::wait_for_sound(double rms, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return loudest_sound_ >= rms; });
}

std::string WebRtcViewer::describe() const {
  GstWebRTCICEConnectionState ice = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  GstWebRTCPeerConnectionState connection = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
  g_object_get(webrtcbin_, "ice-connection-state", &ice, "connection-state", &connection, nullptr);
  std::lock_guard lock(mutex_);
  return "ice-connection-state " + std::to_string(ice) + ", connection-state " +
         std::to_string(connection) + ", frames " + std::to_string(frames_) +
         (first_error_.empty() ? "" : ", error: " + first_error_);
}

}  // namespace veil::test
