#include "media/webrtc_negotiation.hpp"

#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API  // webrtcbin's transceiver API is marked unstable in 1.22
#include <gst/webrtc/webrtc.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "media/gst_support.hpp"

namespace veil::media {

namespace {

struct SdpMessageFree {
  void operator()(GstSDPMessage* m) const { gst_sdp_message_free(m); }
};
using SdpMessagePtr = std::unique_ptr<GstSDPMessage, SdpMessageFree>;

struct DescriptionFree {
  void operator()(GstWebRTCSessionDescription* d) const { gst_webrtc_session_description_free(d); }
};
using DescriptionPtr = std::unique_ptr<GstWebRTCSessionDescription, DescriptionFree>;

struct PromiseUnref {
  void operator()(GstPromise* p) const { gst_promise_unref(p); }
};
using PromisePtr = std::unique_ptr<GstPromise, PromiseUnref>;

Result<SdpMessagePtr> parse(const std::string& text) {
  GstSDPMessage* message = nullptr;
  if (gst_sdp_message_new_from_text(text.c_str(), &message) != GST_SDP_OK || message == nullptr) {
    return Error::invalid("sdp_invalid");
  }
  return SdpMessagePtr(message);
}

// Emits `signal` with `argument` and a promise, waits for webrtcbin to answer, and returns the
// reply (which webrtcbin owns through the promise). An "error" field in the reply is a refusal.
Result<PromisePtr> call(GstElement* webrtcbin, const char* signal, gpointer argument, std::string_view reason) {
  PromisePtr promise(gst_promise_new());
  if (argument != nullptr) {
    g_signal_emit_by_name(webrtcbin, signal, argument, promise.get());
  } else {
    g_signal_emit_by_name(webrtcbin, signal, nullptr, promise.get());
  }
  if (gst_promise_wait(promise.get()) != GST_PROMISE_RESULT_REPLIED) return Error::invalid(std::string(reason), signal);
  const GstStructure* reply = gst_promise_get_reply(promise.get());
  if (reply != nullptr && gst_structure_has_field(reply, "error")) {
    GError* error = nullptr;
    gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr);
    std::string detail = std::string(signal) + ": " + (error != nullptr ? error->message : "refused");
    if (error != nullptr) g_error_free(error);
    return Error::invalid(std::string(reason), detail);
  }
  return promise;
}

// The offer's own description of `codec` in section `media` (payload type, clock rate, fmtp and
// feedback such as PLI), as webrtcbin wants codec preferences: answering with exactly that keeps
// keyframe requests and packetization the sender asked for.
CapsRef caps_for_codec(const GstSDPMedia* media, std::string_view codec) {
  for (guint i = 0; i < gst_sdp_media_formats_len(media); ++i) {
    int pt = std::atoi(gst_sdp_media_get_format(media, i));
    GstCaps* caps = gst_sdp_media_get_caps_from_media(media, pt);
    if (caps == nullptr) continue;
    CapsRef owned(caps);
    GstStructure* s = gst_caps_get_structure(caps, 0);
    const char* name = gst_structure_get_string(s, "encoding-name");
    if (name == nullptr || g_ascii_strcasecmp(name, std::string(codec).c_str()) != 0) continue;
    // For H.264 prefer packetization-mode 1, which every browser and x264 path handles.
    if (codec == "H264") {
      const char* mode = gst_structure_get_string(s, "packetization-mode");
      if (mode == nullptr || std::string_view(mode) != "1") continue;
    }
    gst_structure_set_name(s, "application/x-rtp");
    gst_structure_set(s, "media", G_TYPE_STRING, media->media, nullptr);
    return owned;
  }
  return nullptr;
}

// Limits each transceiver webrtcbin made from the offer to the one codec Veil decodes there. A
// section without one gets preferences nothing intersects, so the answer rejects it.
void prefer_codecs(GstElement* webrtcbin, const GstSDPMessage* offer, const std::string& video_codec) {
  GArray* transceivers = nullptr;
  g_signal_emit_by_name(webrtcbin, "get-transceivers", &transceivers);
  if (transceivers == nullptr) return;
  for (guint i = 0; i < transceivers->len; ++i) {
    auto* transceiver = g_array_index(transceivers, GstWebRTCRTPTransceiver*, i);
    guint mline = 0;
    g_object_get(transceiver, "mlineindex", &mline, nullptr);
    if (mline >= gst_sdp_message_medias_len(offer)) continue;
    const GstSDPMedia* media = gst_sdp_message_get_media(offer, mline);
    std::string_view kind = media->media != nullptr ? media->media : "";
    CapsRef caps;
    if (kind == "video" && !video_codec.empty()) caps = caps_for_codec(media, video_codec);
    if (kind == "audio") caps = caps_for_codec(media, "OPUS");
    if (!caps) caps = caps_from_string("application/x-rtp,encoding-name=NONE");
    g_object_set(transceiver, "codec-preferences", caps.get(), nullptr);
  }
  g_array_unref(transceivers);
}

// Collects what webrtcbin gathers, so the SDP we hand out lists every candidate (no trickle).
class Gathering {
 public:
  explicit Gathering(GstElement* webrtcbin) : webrtcbin_(webrtcbin) {
    candidate_handler_ = g_signal_connect(webrtcbin, "on-ice-candidate", G_CALLBACK(&Gathering::on_candidate), this);
    state_handler_ = g_signal_connect(webrtcbin, "notify::ice-gathering-state", G_CALLBACK(&Gathering::on_state), this);
  }
  ~Gathering() {
    g_signal_handler_disconnect(webrtcbin_, candidate_handler_);
    g_signal_handler_disconnect(webrtcbin_, state_handler_);
  }
  Gathering(const Gathering&) = delete;
  Gathering& operator=(const Gathering&) = delete;

  bool wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return complete_ || complete_now(); });
  }
  std::vector<std::pair<guint, std::string>> candidates() {
    std::lock_guard lock(mutex_);
    return candidates_;
  }

 private:
  bool complete_now() const {
    GstWebRTCICEGatheringState state = GST_WEBRTC_ICE_GATHERING_STATE_NEW;
    g_object_get(webrtcbin_, "ice-gathering-state", &state, nullptr);
    return state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE;
  }
  static void on_candidate(GstElement*, guint mline, gchar* candidate, Gathering* self) {
    std::lock_guard lock(self->mutex_);
    self->candidates_.emplace_back(mline, candidate);
  }
  static void on_state(GstElement*, GParamSpec*, Gathering* self) {
    bool done = self->complete_now();
    std::lock_guard lock(self->mutex_);
    self->complete_ = self->complete_ || done;
    self->changed_.notify_all();
  }

  GstElement* webrtcbin_;
  gulong candidate_handler_ = 0, state_handler_ = 0;
  std::mutex mutex_;  // guards candidates_ and complete_
  std::condition_variable changed_;
  std::vector<std::pair<guint, std::string>> candidates_;
  bool complete_ = false;
};

// The local description as text, with the gathered candidates added where webrtcbin left them out.
std::string local_description_with(GstElement* webrtcbin, const std::vector<std::pair<guint, std::string>>& candidates) {
  GstWebRTCSessionDescription* raw = nullptr;
  g_object_get(webrtcbin, "local-description", &raw, nullptr);
  DescriptionPtr local(raw);
  GCharPtr text(gst_sdp_message_as_text(local->sdp));
  if (std::string_view(text.get()).find("a=candidate:") != std::string_view::npos) return text.get();
  for (const auto& [mline, candidate] : candidates) {
    if (mline >= gst_sdp_message_medias_len(local->sdp)) continue;
    std::string_view value = candidate;
    if (value.rfind("candidate:", 0) == 0) value.remove_prefix(10);
    gst_sdp_media_add_attribute(const_cast<GstSDPMedia*>(gst_sdp_message_get_media(local->sdp, mline)), "candidate",
                                std::string(value).c_str());
  }
  for (guint i = 0; i < gst_sdp_message_medias_len(local->sdp); ++i) {
    gst_sdp_media_add_attribute(const_cast<GstSDPMedia*>(gst_sdp_message_get_media(local->sdp, i)), "end-of-candidates", "");
  }
  text.reset(gst_sdp_message_as_text(local->sdp));
  return text.get();
}

Result<std::string> finish_local(GstElement* webrtcbin, Gathering& gathering, GstWebRTCSessionDescription* description,
                                 std::chrono::milliseconds timeout) {
  VEIL_TRY(call(webrtcbin, "set-local-description", description, "sdp_invalid"));
  if (!gathering.wait(timeout)) return Error{ErrorCode::Unavailable, "media_unavailable", "ICE gathering timed out"};
  return local_description_with(webrtcbin, gathering.candidates());
}

}  // namespace

Result<std::string> answer_offer(GstElement* webrtcbin, const std::string& offer_sdp, const std::string& video_codec,
                                 std::chrono::milliseconds timeout) {
  SdpMessagePtr offer = VEIL_TRY(parse(offer_sdp));
  Gathering gathering(webrtcbin);
  GstSDPMessage* copy = nullptr;
  gst_sdp_message_copy(offer.get(), &copy);
  DescriptionPtr remote(gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_OFFER, copy));
  VEIL_TRY(call(webrtcbin, "set-remote-description", remote.get(), "sdp_invalid"));
  prefer_codecs(webrtcbin, offer.get(), video_codec);
  PromisePtr reply = VEIL_TRY(call(webrtcbin, "create-answer", nullptr, "sdp_codec_unsupported"));
  GstWebRTCSessionDescription* answer = nullptr;
  gst_structure_get(gst_promise_get_reply(reply.get()), "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, nullptr);
  if (answer == nullptr) return Error::invalid("sdp_codec_unsupported", "no answer");
  DescriptionPtr owned(answer);
  return finish_local(webrtcbin, gathering, answer, timeout);
}

Result<std::string> create_offer(GstElement* webrtcbin, std::chrono::milliseconds timeout) {
  Gathering gathering(webrtcbin);
  PromisePtr reply = VEIL_TRY(call(webrtcbin, "create-offer", nullptr, "media_unavailable"));
  GstWebRTCSessionDescription* offer = nullptr;
  gst_structure_get(gst_promise_get_reply(reply.get()), "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, nullptr);
  if (offer == nullptr) return Error{ErrorCode::Unavailable, "media_unavailable", "no offer"};
  DescriptionPtr owned(offer);
  return finish_local(webrtcbin, gathering, offer, timeout);
}

Status accept_answer(GstElement* webrtcbin, const std::string& answer_sdp) {
  SdpMessagePtr answer = VEIL_TRY(parse(answer_sdp));
  DescriptionPtr remote(gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, answer.release()));
  VEIL_TRY(call(webrtcbin, "set-remote-description", remote.get(), "sdp_invalid"));
  return {};
}

}  // namespace veil::media
