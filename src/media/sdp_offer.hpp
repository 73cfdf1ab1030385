#pragma once
// The first look at an SDP offer from the outside (WHIP publishers, WHEP viewers): size, syntax,
// and whether it carries a codec Veil handles, before any WebRTC element is built for it.
#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace veil::media {

inline constexpr std::size_t kMaxSdpBytes = 32 * 1024;  // a real offer is 3–10 KB

struct OfferSummary {
  bool video = false;  // an m=video section with H.264 or VP8
  bool audio = false;  // an m=audio section with Opus
  std::string video_codec;  // "H264" or "VP8": the one Veil will use
};

enum class OfferUse { Publish, Watch };

// Errors: sdp_too_large (413), sdp_invalid (400), sdp_codec_unsupported (400): no m-line with a
// usable codec, or a publish offer that sends nothing.
Result<OfferSummary> check_offer(std::string_view sdp, OfferUse use);

}  // namespace veil::media
