#include "media/segment_cipher.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace veil::media {

namespace {

using Stream = crypto_secretstream_xchacha20poly1305_state;

constexpr char kMagic[7] = {'V', 'E', 'I', 'L', 'R', 'E', 'C'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kKeyCheckBytes = 16;
// The part of the header a chunk authenticates: magic, version, key check.
constexpr std::size_t kPreambleBytes = sizeof kMagic + 1 + kKeyCheckBytes;
constexpr std::size_t kHeaderBytes =
    kPreambleBytes + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kTagBytes = crypto_secretstream_xchacha20poly1305_ABYTES;
// Subkeys of the host's key, one per use, so the key check reveals nothing about the stream key.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'v', 'r', 'e', 'c', 's', 'e', 'g', '1'};
constexpr std::uint64_t kStreamSubkey = 1;
constexpr std::uint64_t kCheckSubkey = 2;

static_assert(kHeaderBytes == 48);
static_assert(crypto_kdf_CONTEXTBYTES == sizeof kKdfContext);

Error corrupt(std::string detail) {
  return Error{ErrorCode::Internal, "recording_corrupt", std::move(detail)};
}
Error key_invalid(std::string detail) {
  return Error{ErrorCode::PermissionDenied, "recording_key_invalid", std::move(detail)};
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

void append_length_prefixed(std::string& out, std::string_view field) {
  auto n = static_cast<std::uint32_t>(field.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(field);
}

// What every chunk authenticates besides itself. Length prefixes keep ("ab", "c") and ("a", "bc")
// apart.
std::string associated_data(std::string_view preamble, SegmentLabel label) {
  std::string ad(preamble);
  append_length_prefixed(ad, label.recording_id);
  append_length_prefixed(ad, label.segment_name);
  return ad;
}

// Wipes the stream state (it holds the per-file key) whichever way a function leaves.
struct StreamState {
  Stream state{};
  ~StreamState() { sodium_memzero(&state, sizeof state); }
};

std::string errno_text() { return std::strerror(errno); }

}  // namespace

Result<SegmentCipher> SegmentCipher::create(SecretBytes key) {
  if (sodium_init() < 0) return Error::internal("libsodium did not initialise");
  if (key.size() != kKeyBytes) {
    return key_invalid("a recording key is " + std::to_string(kKeyBytes) + " bytes, got " +
                       std::to_string(key.size()));
  }
  SecretBytes stream_key(crypto_secretstream_xchacha20poly1305_KEYBYTES);
  std::array<std::uint8_t, kKeyCheckBytes> check{};
  if (crypto_kdf_derive_from_key(stream_key.data(), stream_key.size(), kStreamSubkey, kKdfContext,
                                 key.data()) != 0 ||
      crypto_kdf_derive_from_key(check.data(), check.size(), kCheckSubkey, kKdfContext,
                                 key.data()) != 0) {
    return Error::internal("recording subkey derivation failed");
  }
  return SegmentCipher(std::move(stream_key), check);
}

std::string SegmentCipher::seal(std::string_view plaintext, SegmentLabel label) const {
  std::size_t chunks = std::max<std::size_t>(1, (plaintext.size() + kChunkBytes - 1) / kChunkBytes);
  std::string out;
  out.reserve(kHeaderBytes + plaintext.size() + chunks * kTagBytes);
  out.append(kMagic, sizeof kMagic);
  out.push_back(static_cast<char>(kVersion));
  out.append(reinterpret_cast<const char*>(key_check_.data()), key_check_.size());
  const std::string ad = associated_data(out, label);

  StreamState stream;
  unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&stream.state, header, stream_key_.data());
  out.append(reinterpret_cast<const char*>(header), sizeof header);

  // Every chunk but the last is full, so a reader finds the boundaries without a length field;
  // the last carries the FINAL tag (even when empty), so a cut at a chunk boundary is noticed.
  std::size_t offset = 0;
  for (std::size_t i = 0; i < chunks; ++i) {
    std::size_t length = std::min(kChunkBytes, plaintext.size() - offset);
    unsigned char tag = i + 1 == chunks ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                        : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    std::size_t at = out.size();
    out.resize(at + length + kTagBytes);
    crypto_secretstream_xchacha20poly1305_push(
        &stream.state, reinterpret_cast<unsigned char*>(out.data() + at), nullptr,
        bytes_of(plaintext) + offset, length, bytes_of(ad), ad.size(), tag);
    offset += length;
  }
  return out;
}

Result<std::string> SegmentCipher::open(std::string_view sealed, SegmentLabel label) const {
  if (sealed.size() < kHeaderBytes) return corrupt("shorter than a segment header");
  if (std::memcmp(sealed.data(), kMagic, sizeof kMagic) != 0)
    return corrupt("not a Veil recording segment");
  auto version = static_cast<std::uint8_t>(sealed[sizeof kMagic]);
  if (version != kVersion)
    return corrupt("unknown segment format version " + std::to_string(version));
  if (sodium_memcmp(sealed.data() + sizeof kMagic + 1, key_check_.data(), kKeyCheckBytes) != 0) {
    return key_invalid("the segment was sealed under another key");
  }
  const std::string ad = associated_data(sealed.substr(0, kPreambleBytes), label);

  StreamState stream;
  if (crypto_secretstream_xchacha20poly1305_init_pull(
          &stream.state, bytes_of(sealed) + kPreambleBytes, stream_key_.data()) != 0) {
    return corrupt("invalid stream header");
  }
  std::string plaintext;
  plaintext.reserve(sealed.size() - kHeaderBytes);
  std::size_t at = kHeaderBytes;
  bool final = false;
  while (!final) {
    if (at == sealed.size()) return corrupt("truncated: the final chunk is missing");
    std::size_t length = std::min(sealed.size() - at, kChunkBytes + kTagBytes);
    if (length < kTagBytes) return corrupt("truncated chunk");
    std::size_t out_at = plaintext.size();
    plaintext.resize(out_at + length - kTagBytes);
    unsigned char tag = 0;
    // Fails for a changed byte, a chunk from another position or file, or another label.
    if (crypto_secretstream_xchacha20poly1305_pull(
            &stream.state, reinterpret_cast<unsigned char*>(plaintext.data() + out_at), nullptr,
            &tag, bytes_of(sealed) + at, length, bytes_of(ad), ad.size()) != 0) {
      return corrupt("a chunk failed authentication");
    }
    at += length;
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      final = true;
    } else if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
      return corrupt("unexpected chunk tag");
    }
  }
  if (at != sealed.size()) return corrupt("data after the final chunk");
  return plaintext;
}

Status SegmentCipher::seal_to_file(std::string_view plaintext, const std::filesystem::path& file,
                                   SegmentLabel label) const {
  return write_file_atomically(file, seal(plaintext, label));
}

Result<std::string> SegmentCipher::open_file(const std::filesystem::path& file,
                                             SegmentLabel label) const {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Error{ErrorCode::NotFound, "not_found", "no recording file " + file.filename().string()};
  std::string sealed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error::internal("cannot read recording file " + file.filename().string());
  return open(sealed, label);
}

Status write_file_atomically(const std::filesystem::path& file, std::string_view bytes) {
  std::string temporary = file.string() + ".tmp-XXXXXX";
  int fd =
      ::mkostemp(temporary.data(), O_CLOEXEC);  // 0600: recordings are for the host's key alone
  if (fd < 0)
    return Error::internal("cannot create a temporary file for " + file.filename().string() + ": " +
                           errno_text());
  auto fail = [&](const std::string& what) -> Status {
    std::string detail = what + " " + file.filename().string() + ": " + errno_text();
    if (fd >= 0) ::close(fd);
    ::unlink(temporary.c_str());
    return Error::internal(detail);
  };
  std::size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write");
    written += static_cast<std::size_t>(n);
  }
  // Durable before it gets its name: after a crash the name holds the old file or the whole new
  // one.
  if (::fsync(fd) != 0) return fail("cannot sync");
  if (::close(fd) != 0) {
    fd = -1;
    return fail("cannot close");
  }
  fd = -1;
  if (::rename(temporary.c_str(), file.c_str()) != 0) return fail("cannot rename into");
  // The rename itself is durable only once the folder is synced.
  std::filesystem::path folder =
      file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return {};
}

}  // namespace veil::media
