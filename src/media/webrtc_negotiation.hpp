#pragma once
// Offer/answer with a webrtcbin, synchronously: WHIP and WHEP are one HTTP exchange each and we do
// not trickle, so the SDP we return already lists every ICE candidate.
#include <gst/gst.h>

#include <chrono>
#include <string>

#include "util/result.hpp"

namespace veil::media {

inline constexpr std::chrono::milliseconds kNegotiationTimeout{5000};

// Sets `offer_sdp` as the remote description, keeps only the `video_codec` ("VP8"/"H264", empty:
// no video) and Opus in the answer, sets the answer locally and returns it once ICE gathering has
// completed. `webrtcbin` must already be in a PLAYING pipeline. Errors: sdp_invalid,
// sdp_codec_unsupported, media_unavailable (gathering timed out).
Result<std::string> answer_offer(GstElement* webrtcbin, const std::string& offer_sdp, const std::string& video_codec,
                                 std::chrono::milliseconds timeout = kNegotiationTimeout);

// The other side, for senders that offer (a viewer's webrtcbin we own): creates the offer, sets it
// locally and returns it with its candidates.
Result<std::string> create_offer(GstElement* webrtcbin, std::chrono::milliseconds timeout = kNegotiationTimeout);
Status accept_answer(GstElement* webrtcbin, const std::string& answer_sdp);

}  // namespace veil::media
