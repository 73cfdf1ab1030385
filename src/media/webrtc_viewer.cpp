#include "media/webrtc_viewer.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include <atomic>
#include <chrono>
#include <future>

#include "media/gst_support.hpp"
#include "media/webrtc_ice.hpp"

namespace veil::media {

namespace {

// How long a tee pad may take to fall idle when the viewer leaves; past it the pad is released
// anyway (the tee takes its own lock for that).
constexpr std::chrono::milliseconds kLeaveTimeout{1000};

// One tee pad being let go: the tee's streaming thread unlinks it between two buffers.
struct Unlinking {
  std::promise<void> done;
  std::atomic<bool> ran{false};
};

GstPadProbeReturn unlink_when_idle(GstPad* tee_pad, GstPadProbeInfo*, gpointer data) {
  auto& unlinking = **static_cast<std::shared_ptr<Unlinking>*>(data);
  if (unlinking.ran.exchange(true)) return GST_PAD_PROBE_REMOVE;
  if (GstPad* peer = gst_pad_get_peer(tee_pad); peer != nullptr) {
    gst_pad_unlink(tee_pad, peer);
    gst_object_unref(peer);
  }
  unlinking.done.set_value();
  return GST_PAD_PROBE_REMOVE;
}

void note_ice_state(GstElement* webrtcbin, GParamSpec*, gpointer data) {
  GstWebRTCICEConnectionState state = GST_WEBRTC_ICE_CONNECTION_STATE_NEW;
  g_object_get(webrtcbin, "ice-connection-state", &state, nullptr);
  if (state == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED) **static_cast<std::shared_ptr<std::atomic<bool>>*>(data) = true;
}

int payload_type(const GstCaps* codec) {
  int pt = 0;
  gst_structure_get_int(gst_caps_get_structure(codec, 0), "payload", &pt);
  return pt;
}

}  // namespace

Result<std::unique_ptr<WebRtcViewer>> WebRtcViewer::create(GstBin& pipeline, RoomTees tees, const std::string& offer_sdp) {
  if (tees.video == nullptr || tees.audio == nullptr) return Error::internal("a viewer needs both tees");
  // From here on the destructor takes out whatever was added, on every error path.
  std::unique_ptr<WebRtcViewer> viewer(new WebRtcViewer(pipeline, tees));
  GstElement* webrtcbin = VEIL_TRY(make_element("webrtcbin"));
  g_object_set(webrtcbin, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, nullptr);
  if (Status ice = configure_ice(webrtcbin); !ice.ok()) {
    gst_object_unref(gst_object_ref_sink(webrtcbin));
    return ice.take_error();
  }
  // Running, so it can negotiate; nothing feeds it yet, so the room cannot stall on it.
  VEIL_TRY(add_and_sync(pipeline, webrtcbin));
  viewer->webrtcbin_ = webrtcbin;
  g_signal_connect_data(webrtcbin, "notify::ice-connection-state", G_CALLBACK(note_ice_state),
                        new std::shared_ptr<std::atomic<bool>>(viewer->lost_),
                        [](gpointer data, GClosure*) { delete static_cast<std::shared_ptr<std::atomic<bool>>*>(data); },
                        GConnectFlags{});
  viewer->answer_sdp_ = VEIL_TRY(answer_offer_to_send(
      webrtcbin, offer_sdp, "H264", [v = viewer.get()](const std::vector<OfferedSection>& sections) { return v->attach(sections); }));
  VEIL_TRY(viewer->start());
  return viewer;
}

Result<GstElement*> WebRtcViewer::add(std::string_view factory) {
  GstElement* e = VEIL_TRY(make_element(factory));
  if (!gst_bin_add(&pipeline_, e)) return Error::internal("gst_bin_add refused an element");
  chain_.push_back(e);
  return e;
}

Result<std::vector<unsigned>> WebRtcViewer::attach(const std::vector<OfferedSection>& sections) {
  const OfferedSection* video = nullptr;
  const OfferedSection* audio = nullptr;
  for (const auto& s : sections) {
    if (s.kind == "video" && s.codec && video == nullptr) video = &s;
    if (s.kind == "audio" && s.codec && audio == nullptr) audio = &s;
  }
  // A WHEP viewer is there for the picture: without H.264 to send it, HLS serves them better.
  if (video == nullptr) return Error::invalid("whep_codec_unsupported", "no H.264 (packetization-mode 1) to receive");
  std::vector<unsigned> sending;

  // The tee's H.264 is only repacketised. A small leaky queue: a viewer whose connection falls
  // behind loses frames (and decodes again from the next key frame), the room never waits.
  video_in_ = VEIL_TRY(add("queue"));
  g_object_set(video_in_, "leaky", 2, "max-size-buffers", 10u, "max-size-time", guint64(0), "max-size-bytes", 0u, nullptr);
  GstElement* h264_pay = VEIL_TRY(add("rtph264pay"));
  // Parameter sets before every key frame: the player decodes from the first one it gets.
  g_object_set(h264_pay, "pt", static_cast<guint>(payload_type(video->codec.get())), "config-interval", -1, nullptr);
  gst_util_set_object_arg(G_OBJECT(h264_pay), "aggregate-mode", "zero-latency");
  VEIL_TRY(link_chain({video_in_, h264_pay}));
  VEIL_TRY(link_to_webrtcbin(h264_pay, video->mline));
  sending.push_back(video->mline);

  if (audio != nullptr) {
    audio_in_ = VEIL_TRY(add("queue"));
    g_object_set(audio_in_, "leaky", 2, "max-size-buffers", 20u, "max-size-time", guint64(0), "max-size-bytes", 0u, nullptr);
    GstElement* convert = VEIL_TRY(add("audioconvert"));
    GstElement* opus = VEIL_TRY(add("opusenc"));
    GstElement* opus_pay = VEIL_TRY(add("rtpopuspay"));
    g_object_set(opus_pay, "pt", static_cast<guint>(payload_type(audio->codec.get())), nullptr);
    VEIL_TRY(link_chain({audio_in_, convert, opus, opus_pay}));
    VEIL_TRY(link_to_webrtcbin(opus_pay, audio->mline));
    sending.push_back(audio->mline);
  }
  return sending;
}

Status WebRtcViewer::link_to_webrtcbin(GstElement* payloader, unsigned mline) {
  // Named after the section's mline, webrtcbin gives the pad to the transceiver the offer made.
  std::string name = "sink_" + std::to_string(mline);
  GstPadTemplate* templ = gst_element_get_pad_template(webrtcbin_, "sink_%u");
  GstRef<GstPad> sink(gst_element_request_pad(webrtcbin_, templ, name.c_str(), nullptr));
  if (!sink) return Error::internal("webrtcbin gave no pad for " + name);
  GstRef<GstPad> src(gst_element_get_static_pad(payloader, "src"));
  if (gst_pad_link(src.get(), sink.get()) != GST_PAD_LINK_OK) return Error::internal("cannot link a payloader to webrtcbin");
  return {};
}

Status WebRtcViewer::start() {
  // Downstream first, so nothing pushes into an element that is not running yet.
  for (auto it = chain_.rbegin(); it != chain_.rend(); ++it) {
    if (!gst_element_sync_state_with_parent(*it)) return Error{ErrorCode::Unavailable, "media_unavailable", "viewer did not start"};
  }
  // Last: the tees. From here the room's output flows to this viewer.
  for (auto [tee, queue] : {std::pair{tees_.video, video_in_}, std::pair{tees_.audio, audio_in_}}) {
    if (queue == nullptr) continue;
    GstPad* tee_pad = gst_element_request_pad_simple(tee, "src_%u");
    if (tee_pad == nullptr) return Error::internal("the tee gave no pad for a viewer");
    tee_pads_.emplace_back(tee, tee_pad);
    GstRef<GstPad> in(gst_element_get_static_pad(queue, "sink"));
    if (gst_pad_link(tee_pad, in.get()) != GST_PAD_LINK_OK) return Error::internal("cannot link a viewer to the room's output");
  }
  return {};
}

void WebRtcViewer::leave_tees() {
  for (auto [tee, tee_pad] : tee_pads_) {
    // Shared with the probe, which may still run after a timed-out wait here.
    auto unlinking = std::make_shared<Unlinking>();
    std::future<void> done = unlinking->done.get_future();
    gst_pad_add_probe(tee_pad, GST_PAD_PROBE_TYPE_IDLE, &unlink_when_idle, new std::shared_ptr<Unlinking>(unlinking),
                      [](gpointer data) { delete static_cast<std::shared_ptr<Unlinking>*>(data); });
    (void)done.wait_for(kLeaveTimeout);
    gst_element_release_request_pad(tee, tee_pad);
    gst_object_unref(tee_pad);
  }
  tee_pads_.clear();
}

WebRtcViewer::~WebRtcViewer() {
  leave_tees();
  // Nothing reaches the branch any more: stop it and take it out, webrtcbin first. Until DTLS is
  // up webrtcbin holds what it is sent at a blocked pad, and a player that never connects leaves
  // a queue's thread waiting there: stopping the queue first would wait for it for ever, while
  // stopping webrtcbin flushes the block and lets the thread go.
  std::vector<GstElement*> elements;
  if (webrtcbin_ != nullptr) elements.push_back(webrtcbin_);
  elements.insert(elements.end(), chain_.begin(), chain_.end());
  for (GstElement* e : elements) gst_element_set_state(e, GST_STATE_NULL);
  for (GstElement* e : elements) gst_bin_remove(&pipeline_, e);
}

}  // namespace veil::media
