#include "stamp_reader.hpp"

#include <gst/video/video.h>

#include "frame_code.hpp"

namespace veil::bench::media {

std::optional<std::uint16_t> read_sample_code(GstSample* sample) {
  GstVideoInfo info;
  if (!gst_video_info_from_caps(&info, gst_sample_get_caps(sample))) return std::nullopt;
  GstVideoFrame frame;
  if (!gst_video_frame_map(&frame, &info, gst_sample_get_buffer(sample), GST_MAP_READ)) return std::nullopt;
  auto code = read_frame_code(static_cast<const std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0)),
                              GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0), GST_VIDEO_INFO_WIDTH(&info), GST_VIDEO_INFO_HEIGHT(&info));
  gst_video_frame_unmap(&frame);
  return code;
}

std::optional<StampReader::Seen> StampReader::decoded(GstSample* sample) {
  auto code = read_sample_code(sample);
  std::lock_guard lock(mutex_);
  if (!code) {
    ++unreadable_;
    return std::nullopt;
  }
  // Counters wrap at 2^16; a difference of 1..32767 is forward.
  if (any_ && static_cast<std::int16_t>(static_cast<std::uint16_t>(*code - last_)) <= 0) return std::nullopt;
  const std::int64_t captured = log_.capture_time(*code);
  if (captured == 0) return std::nullopt;
  any_ = true;
  last_ = *code;
  return Seen{*code, captured};
}

int StampReader::unreadable() const {
  std::lock_guard lock(mutex_);
  return unreadable_;
}

}  // namespace veil::bench::media
