#pragma once
// Offer/answer with a webrtcbin, synchronously: WHIP and WHEP are one HTTP exchange each and we do
// not trickle, so the SDP we return already lists every ICE candidate.
#include <gst/gst.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "media/gst_support.hpp"

#include "util/result.hpp"

namespace veil::media {

inline constexpr std::chrono::milliseconds kNegotiationTimeout{5000};

// Sets `offer_sdp` as the remote description, keeps only the `video_codec` ("VP8"/"H264", empty:
// no video) and Opus in the answer, sets the answer locally and returns it once ICE gathering has
// completed. `webrtcbin` must already be in a PLAYING pipeline. Errors: sdp_invalid,
// sdp_codec_unsupported, media_unavailable (gathering timed out).
Result<std::string> answer_offer(GstElement* webrtcbin, const std::string& offer_sdp, const std::string& video_codec,
                                 std::chrono::milliseconds timeout = kNegotiationTimeout);

// One section of an offer: where it is, its kind and the one codec Veil would send there, exactly
// as the offer describes it (payload type, fmtp); null: none.
struct OfferedSection {
  unsigned mline = 0;
  std::string kind;  // "video", "audio"
  CapsRef codec;
};
// Gives the sections it will send on their inputs (webrtcbin's "sink_<mline>" pads) and returns
// their mlines; any other section is answered inactive.
using AttachSenders = std::function<Result<std::vector<unsigned>>(const std::vector<OfferedSection>&)>;

// The same exchange for a sender that answers (a WHEP player offers, a webrtcbin of ours sends):
// between setting the offer and making the answer, `attach` links its inputs, so the answer is
// sendonly with the offer's own payload types. For H.264 a constrained-baseline/baseline format
// of the offer is preferred (what the room sends). Errors as answer_offer, and attach's own.
Result<std::string> answer_offer_to_send(GstElement* webrtcbin, const std::string& offer_sdp, const std::string& video_codec,
                                         const AttachSenders& attach,
                                         std::chrono::milliseconds timeout = kNegotiationTimeout);

// The other side, for senders that offer (a viewer's webrtcbin we own): creates the offer, sets it
// locally and returns it with its candidates.
Result<std::string> create_offer(GstElement* webrtcbin, std::chrono::milliseconds timeout = kNegotiationTimeout);
// For a sender that offers (a test or benchmark publisher, a fan-out branch): `start` brings the
// webrtcbin's inputs up (sets the pipeline playing, links a tee); once webrtcbin is ready to
// negotiate (every input has caps) every transceiver is made sendonly and the offer created.
Result<std::string> create_send_offer(GstElement* webrtcbin, const std::function<void()>& start,
                                      std::chrono::milliseconds timeout = kNegotiationTimeout);
Status accept_answer(GstElement* webrtcbin, const std::string& answer_sdp);

}  // namespace veil::media
