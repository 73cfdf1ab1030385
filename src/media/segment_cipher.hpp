#pragma once
// One recording segment sealed at rest. [000] (3) keeps live sessions' voice and video (faces
// included) for 60 days; the bytes on disk are readable only with the host's recording key, so
// destroying that key makes every segment unreadable and a copied data directory opens nothing.
//
// File format, version 1:
//   "VEILREC" | version (1 byte) | key check (16 bytes) | secretstream header (24 bytes)
//   then crypto_secretstream_xchacha20poly1305 chunks of 64 KiB of plaintext each, the last one
//   (at most 64 KiB, possibly empty) tagged FINAL.
// Every chunk authenticates the first 24 bytes of the file, the recording id and the segment's
// name, so a segment cannot be altered, cut short, extended, reordered, or moved to another
// position or recording without being refused.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.hpp"
#include "util/secret_bytes.hpp"

namespace veil::media {

// Where a segment belongs; bound into its authentication.
struct SegmentLabel {
  std::string_view recording_id;
  std::string_view segment_name;  // as the playlist lists it, e.g. "segment00003.ts"
};

class SegmentCipher {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  static constexpr std::size_t kChunkBytes = 64 * 1024;

  // recording_key_invalid unless `key` is kKeyBytes long.
  static Result<SegmentCipher> create(SecretBytes key);

  // The sealed form of `plaintext` (the exact bytes a segment file holds).
  std::string seal(std::string_view plaintext, SegmentLabel label) const;
  // The plaintext back. recording_key_invalid when sealed under another key; recording_corrupt
  // when altered, truncated, extended, of an unknown version, or sealed for another label.
  Result<std::string> open(std::string_view sealed, SegmentLabel label) const;

  // seal() written to `file` atomically (see write_file_atomically).
  Status seal_to_file(std::string_view plaintext, const std::filesystem::path& file,
                      SegmentLabel label) const;
  // open() of a file's contents; not_found when there is no such file.
  Result<std::string> open_file(const std::filesystem::path& file, SegmentLabel label) const;

 private:
  SegmentCipher(SecretBytes stream_key, const std::array<std::uint8_t, 16>& key_check)
      : stream_key_(std::move(stream_key)), key_check_(key_check) {}

  SecretBytes stream_key_;                  // derived from the host's key, for the stream only
  std::array<std::uint8_t, 16> key_check_;  // derived apart: tells a wrong key from tampering
};

// Writes `bytes` to `file` so that a crash never leaves a partial file under that name: a 0600
// temporary file beside it is written and fsynced, renamed over `file`, then the folder is synced.
Status write_file_atomically(const std::filesystem::path& file, std::string_view bytes);

}  // namespace veil::media
