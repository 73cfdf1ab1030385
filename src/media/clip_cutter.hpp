#pragma once
// A host's clip of a recording ([000] (3): hosts may clip recordings into short videos): a time
// range of the recording's sealed segments, cut into one MP4 without re-encoding.
//
// A picture can only start on a key frame, and the room's encoder makes one at least every second:
// the clip opens on the last key frame at or before `start_ms` (at most a second earlier), so it
// holds everything asked for. The covering segments are decrypted into memory, surveyed once for
// their key frames, then demuxed and remuxed (h264parse and aacparse into mp4mux); mp4mux writes its headers first ("faststart") and stages the media data
// in a private file in memory-backed /dev/shm when there is one (else the temporary folder),
// removed when the cut ends. Nothing plain is left once this returns; the caller seals the MP4.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.hpp"
#include "util/secret_bytes.hpp"

namespace veil::media {

struct ClipCut {
  std::string mp4;
  std::int64_t start_ms = 0;     // where it really starts on the recording's timeline
  std::int64_t duration_ms = 0;  // of its video
};

// Errors: not_found (no recording in `dir`), clip_range_invalid (the range is not inside the
// recording), recording_key_invalid / recording_corrupt (as the segments' cipher), clip_cut_failed.
Result<ClipCut> cut_clip(const std::filesystem::path& dir, std::string_view recording_id,
                         const SecretBytes& key, std::int64_t start_ms, std::int64_t end_ms);

}  // namespace veil::media
