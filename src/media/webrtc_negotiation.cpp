#include "media/webrtc_negotiation.hpp"

#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API  // webrtcbin's transceiver API is marked unstable in 1.22
#include <gst/webrtc/webrtc.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
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

// A sender prefers, for H.264, the baseline family (profile-level-id 42xxxx) that the room's
// constrained-baseline stream belongs to; a receiver takes the first usable format.
enum class Role { Receive, Send };

bool baseline_family(const GstStructure* s) {
  // GStreamer's SDP-to-caps names the profile ("profile") rather than keeping profile-level-id.
  const char* profile = gst_structure_get_string(s, "profile");
  if (profile != nullptr) return std::string_view(profile) == "constrained-baseline" || std::string_view(profile) == "baseline";
  const char* id = gst_structure_get_string(s, "profile-level-id");
  return id != nullptr && g_ascii_strncasecmp(id, "42", 2) == 0;
}

// GStreamer's SDP-to-caps turns an H.264 format's profile-level-id into profile/level fields, and
// its caps-to-SDP does not turn them back, so an answer would lack it and browsers would read the
// default (42000a, Baseline). A sender's answer names the format exactly as offered.
void keep_profile_level_id(const GstSDPMedia* media, GstCaps* caps) {
  int pt = 0;
  if (!gst_structure_get_int(gst_caps_get_structure(caps, 0), "payload", &pt)) return;
  const std::string prefix = std::to_string(pt) + " ";
  for (guint i = 0;; ++i) {
    const gchar* fmtp = gst_sdp_media_get_attribute_val_n(media, "fmtp", i);
    if (fmtp == nullptr) return;
    std::string_view line = fmtp;
    if (line.rfind(prefix, 0) != 0) continue;
    auto at = line.find("profile-level-id=");
    if (at == std::string_view::npos) return;
    std::string_view value = line.substr(at + 17, 6);
    gst_caps_set_simple(caps, "profile-level-id", G_TYPE_STRING, std::string(value).c_str(), nullptr);
    return;
  }
}

// The offer's own description of `codec` in section `media` (payload type, clock rate, fmtp and
// feedback such as PLI), as webrtcbin wants codec preferences: answering with exactly that keeps
// keyframe requests and packetization the sender asked for.
CapsRef caps_for_codec(const GstSDPMedia* media, std::string_view codec, Role role = Role::Receive) {
  if (role == Role::Send && codec == "H264") {
    // First a baseline-family format; failing that, any the receiver's rules accept below.
    CapsRef any = caps_for_codec(media, codec);
    for (guint i = 0; any && i < gst_sdp_media_formats_len(media); ++i) {
      CapsRef caps(gst_sdp_media_get_caps_from_media(media, std::atoi(gst_sdp_media_get_format(media, i))));
      if (!caps) continue;
      GstStructure* s = gst_caps_get_structure(caps.get(), 0);
      const char* name = gst_structure_get_string(s, "encoding-name");
      const char* mode = gst_structure_get_string(s, "packetization-mode");
      if (name == nullptr || g_ascii_strcasecmp(name, "H264") != 0 || mode == nullptr || std::string_view(mode) != "1" ||
          !baseline_family(s))
        continue;
      gst_structure_set_name(s, "application/x-rtp");
      gst_structure_set(s, "media", G_TYPE_STRING, media->media, nullptr);
      any = std::move(caps);
      break;
    }
    if (any) keep_profile_level_id(media, any.get());
    return any;
  }
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

// The one codec Veil uses in a section of the offer; null: none.
CapsRef codec_for(const GstSDPMedia* media, const std::string& video_codec, Role role) {
  std::string_view kind = media->media != nullptr ? media->media : "";
  if (kind == "video" && !video_codec.empty()) return caps_for_codec(media, video_codec, role);
  if (kind == "audio") return caps_for_codec(media, "OPUS", role);
  return nullptr;
}

std::vector<OfferedSection> offered_sections(const GstSDPMessage* offer, const std::string& video_codec, Role role) {
  std::vector<OfferedSection> sections;
  for (guint i = 0; i < gst_sdp_message_medias_len(offer); ++i) {
    const GstSDPMedia* media = gst_sdp_message_get_media(offer, i);
    // Port 0 is a section the offerer rejects, unless it is bundle-only (webrtcbin offers so).
    bool rejected = gst_sdp_media_get_port(media) == 0 && gst_sdp_media_get_attribute_val(media, "bundle-only") == nullptr;
    CapsRef codec;
    if (!rejected) codec = codec_for(media, video_codec, role);
    sections.push_back({i, media->media != nullptr ? media->media : "", std::move(codec)});
  }
  return sections;
}

// A sender's limit: each transceiver webrtcbin has for the offer gets the one codec Veil sends
// there. A section without one gets preferences nothing intersects, so the answer rejects it.
// `each` sees every transceiver with its mline, borrowed from webrtcbin.
void prefer_codecs_to_send(GstElement* webrtcbin, const GstSDPMessage* offer, const std::string& video_codec,
                           const std::function<void(unsigned, GstWebRTCRTPTransceiver*)>& each) {
  GArray* transceivers = nullptr;
  g_signal_emit_by_name(webrtcbin, "get-transceivers", &transceivers);
  if (transceivers == nullptr) return;
  for (guint i = 0; i < transceivers->len; ++i) {
    auto* transceiver = g_array_index(transceivers, GstWebRTCRTPTransceiver*, i);
    guint mline = 0;
    g_object_get(transceiver, "mlineindex", &mline, nullptr);
    if (mline >= gst_sdp_message_medias_len(offer)) continue;
    CapsRef caps = codec_for(gst_sdp_message_get_media(offer, mline), video_codec, Role::Send);
    if (!caps) caps = caps_from_string("application/x-rtp,encoding-name=NONE");
    g_object_set(transceiver, "codec-preferences", caps.get(), nullptr);
    each(mline, transceiver);
  }
  g_array_unref(transceivers);
}

// Whether `format` in `media` retransmits `pt` (rtx with apt=pt): a receiver keeps it beside `pt`.
bool retransmits(const GstSDPMedia* media, int format, int pt) {
  const std::string prefix = std::to_string(format) + " ";
  const std::string apt = "apt=" + std::to_string(pt);
  for (guint i = 0;; ++i) {
    const gchar* fmtp = gst_sdp_media_get_attribute_val_n(media, "fmtp", i);
    if (fmtp == nullptr) return false;
    std::string_view line = fmtp;
    if (line.rfind(prefix, 0) == 0) {
      auto at = line.find(apt);
      return at != std::string_view::npos && (at + apt.size() == line.size() || line[at + apt.size()] == ';');
    }
  }
}

// A receiver's limit to the one codec Veil decodes in each section, made on the offer itself:
// webrtcbin 1.22 makes a remote offer's receiving transceivers only as it answers, so there are
// none to give codec preferences to, and it would answer every offered format in the offer's
// order (a browser then sends the first, which may be one Veil does not decode). A section
// without a usable codec is left as offered; its stream is dropped when it arrives.
void keep_only_codecs(GstSDPMessage* offer, const std::string& video_codec) {
  for (guint i = 0; i < gst_sdp_message_medias_len(offer); ++i) {
    auto* media = const_cast<GstSDPMedia*>(gst_sdp_message_get_media(offer, i));
    CapsRef codec = codec_for(media, video_codec, Role::Receive);
    int pt = 0;
    if (!codec || !gst_structure_get_int(gst_caps_get_structure(codec.get(), 0), "payload", &pt)) continue;
    for (guint f = gst_sdp_media_formats_len(media); f-- > 0;) {
      int format = std::atoi(gst_sdp_media_get_format(media, f));
      if (format != pt && !retransmits(media, format, pt)) gst_sdp_media_remove_format(media, f);
    }
  }
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

// Both answers: set the offer, limit each section to its codec, let a sender attach its inputs,
// make and set the answer, wait for every candidate.
Result<std::string> answer_with(GstElement* webrtcbin, const std::string& offer_sdp, const std::string& video_codec,
                                const AttachSenders* attach, std::chrono::milliseconds timeout) {
  SdpMessagePtr offer = VEIL_TRY(parse(offer_sdp));
  Gathering gathering(webrtcbin);
  GstSDPMessage* copy = nullptr;
  gst_sdp_message_copy(offer.get(), &copy);
  if (attach == nullptr) keep_only_codecs(copy, video_codec);
  DescriptionPtr remote(gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_OFFER, copy));
  VEIL_TRY(call(webrtcbin, "set-remote-description", remote.get(), "sdp_invalid"));
  if (attach != nullptr) {
    // webrtcbin 1.22 makes a remote offer's transceivers only when it answers; the sink pads
    // `attach` asks for by mline ("sink_<mline>") make them now, as ours to send on.
    std::vector<unsigned> sending = VEIL_TRY((*attach)(offered_sections(offer.get(), video_codec, Role::Send)));
    prefer_codecs_to_send(webrtcbin, offer.get(), video_codec, [&](unsigned mline, GstWebRTCRTPTransceiver* transceiver) {
      bool sends = std::find(sending.begin(), sending.end(), mline) != sending.end();
      g_object_set(transceiver, "direction",
                   sends ? GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY : GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_INACTIVE, nullptr);
    });
  }
  PromisePtr reply = VEIL_TRY(call(webrtcbin, "create-answer", nullptr, "sdp_codec_unsupported"));
  GstWebRTCSessionDescription* answer = nullptr;
  gst_structure_get(gst_promise_get_reply(reply.get()), "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, nullptr);
  if (answer == nullptr) return Error::invalid("sdp_codec_unsupported", "no answer");
  DescriptionPtr owned(answer);
  return finish_local(webrtcbin, gathering, answer, timeout);
}

}  // namespace

Result<std::string> answer_offer(GstElement* webrtcbin, const std::string& offer_sdp, const std::string& video_codec,
                                 std::chrono::milliseconds timeout) {
  return answer_with(webrtcbin, offer_sdp, video_codec, nullptr, timeout);
}

Result<std::string> answer_offer_to_send(GstElement* webrtcbin, const std::string& offer_sdp, const std::string& video_codec,
                                         const AttachSenders& attach, std::chrono::milliseconds timeout) {
  return answer_with(webrtcbin, offer_sdp, video_codec, &attach, timeout);
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

namespace {

// webrtcbin announces it is ready to negotiate once every input has caps.
struct NegotiationNeeded {
  std::mutex mutex;  // guards ready
  std::condition_variable cv;
  bool ready = false;
  static void on_signal(GstElement*, NegotiationNeeded* self) {
    std::lock_guard lock(self->mutex);
    self->ready = true;
    self->cv.notify_all();
  }
};

}  // namespace

Result<std::string> create_send_offer(GstElement* webrtcbin, const std::function<void()>& start, std::chrono::milliseconds timeout) {
  NegotiationNeeded needed;
  gulong handler = g_signal_connect(webrtcbin, "on-negotiation-needed", G_CALLBACK(&NegotiationNeeded::on_signal), &needed);
  start();
  bool ready = false;
  {
    std::unique_lock lock(needed.mutex);
    ready = needed.cv.wait_for(lock, timeout, [&] { return needed.ready; });
  }
  g_signal_handler_disconnect(webrtcbin, handler);
  if (!ready) return Error{ErrorCode::Unavailable, "media_unavailable", "webrtcbin never became ready to negotiate"};
  GArray* transceivers = nullptr;
  g_signal_emit_by_name(webrtcbin, "get-transceivers", &transceivers);
  for (guint i = 0; transceivers != nullptr && i < transceivers->len; ++i)
    g_object_set(g_array_index(transceivers, GstWebRTCRTPTransceiver*, i), "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
                 nullptr);
  if (transceivers != nullptr) g_array_unref(transceivers);
  return create_offer(webrtcbin, timeout);
}

Status accept_answer(GstElement* webrtcbin, const std::string& answer_sdp) {
  SdpMessagePtr answer = VEIL_TRY(parse(answer_sdp));
  DescriptionPtr remote(gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, answer.release()));
  VEIL_TRY(call(webrtcbin, "set-remote-description", remote.get(), "sdp_invalid"));
  return {};
}

}  // namespace veil::media
