#include "media/sdp_offer.hpp"

#include <gst/sdp/sdp.h>

#include <memory>

namespace veil::media {

namespace {

struct SdpFree {
  void operator()(GstSDPMessage* m) const { gst_sdp_message_free(m); }
};

bool sends(const GstSDPMedia* media) {
  // A publisher's section must carry media towards us; "recvonly" and "inactive" carry none.
  for (guint i = 0; i < gst_sdp_media_attributes_len(media); ++i) {
    std::string_view key = gst_sdp_media_get_attribute(media, i)->key;
    if (key == "recvonly" || key == "inactive") return false;
  }
  return true;
}

// The encoding names in a section's a=rtpmap lines, upper-cased by RFC convention.
bool has_codec(const GstSDPMedia* media, std::string_view codec) {
  for (guint i = 0; i < gst_sdp_media_attributes_len(media); ++i) {
    const GstSDPAttribute* a = gst_sdp_media_get_attribute(media, i);
    if (std::string_view(a->key) != "rtpmap" || a->value == nullptr) continue;
    std::string_view value = a->value;
    auto space = value.find(' ');
    if (space == std::string_view::npos) continue;
    std::string_view name = value.substr(space + 1, value.find('/', space) - space - 1);
    if (name.size() != codec.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < name.size(); ++k) same = same && std::toupper(static_cast<unsigned char>(name[k])) == codec[k];
    if (same) return true;
  }
  return false;
}

}  // namespace

Result<OfferSummary> check_offer(std::string_view sdp, OfferUse use) {
  if (sdp.size() > kMaxSdpBytes) return Error{ErrorCode::PayloadTooLarge, "sdp_too_large", {}};
  if (sdp.empty() || (sdp.substr(0, 4) != "v=0\r" && sdp.substr(0, 4) != "v=0\n")) return Error::invalid("sdp_invalid", "not an SDP");
  GstSDPMessage* raw = nullptr;
  gst_sdp_message_new(&raw);
  std::unique_ptr<GstSDPMessage, SdpFree> message(raw);
  if (gst_sdp_message_parse_buffer(reinterpret_cast<const guint8*>(sdp.data()), static_cast<guint>(sdp.size()), raw) != GST_SDP_OK ||
      gst_sdp_message_medias_len(raw) == 0) {
    return Error::invalid("sdp_invalid", "no media sections");
  }
  OfferSummary summary;
  for (guint i = 0; i < gst_sdp_message_medias_len(raw); ++i) {
    const GstSDPMedia* media = gst_sdp_message_get_media(raw, i);
    if (media->media == nullptr || gst_sdp_media_get_port(media) == 0) continue;  // a rejected section
    if (use == OfferUse::Publish && !sends(media)) continue;
    std::string_view kind = media->media;
    if (kind == "video" && !summary.video) {
      // H.264 first: the room output is H.264, so a publisher's H.264 is decoded without surprises
      // in profile support; VP8 is what every browser can send.
      if (has_codec(media, "H264")) summary.video_codec = "H264";
      else if (has_codec(media, "VP8")) summary.video_codec = "VP8";
      summary.video = !summary.video_codec.empty();
    } else if (kind == "audio" && !summary.audio) {
      summary.audio = has_codec(media, "OPUS");
    }
  }
  if (!summary.video && !summary.audio) return Error::invalid("sdp_codec_unsupported", "needs H.264 or VP8 video, or Opus audio");
  return summary;
}

}  // namespace veil::media
