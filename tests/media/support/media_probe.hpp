#pragma once
// What tests look at: the frames and sound that actually arrive in a media file (an HLS segment,
// a recording), decoded by GStreamer, and the segments an HLS playlist lists.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace veil::test {

// One decoded frame in tightly packed I420.
struct Picture {
  int width = 0, height = 0;
  std::vector<std::uint8_t> y, u, v;
  // Mean of a plane over a rectangle in luma coordinates (chroma planes are halved).
  double mean_y(int x, int y0, int w, int h) const;
  double mean_u(int x, int y0, int w, int h) const;
  double mean_v(int x, int y0, int w, int h) const;
};

// Every video frame of `file` (at most `max_frames` when > 0).
Result<std::vector<Picture>> decode_video(const std::filesystem::path& file, int max_frames = 0);
// Root mean square of the decoded sound in `file` (0 for silence), full scale = 1.
Result<double> audio_rms(const std::filesystem::path& file);

// The segment file names `playlist` lists now, oldest first.
std::vector<std::string> listed_segments(const std::filesystem::path& playlist);
// A segment whose whole duration lies after this call: waits for the playlist to list the segment
// after the one being written now.
Result<std::filesystem::path> next_whole_segment(const std::filesystem::path& hls_dir,
                                                 std::chrono::milliseconds timeout = std::chrono::seconds(15));

}  // namespace veil::test
