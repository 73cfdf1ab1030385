#include "engine/vault/master_key_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <string>

#include "util/encoding.hpp"

namespace veil::engine {

namespace {
constexpr std::size_t kKeyBytes = 32;

Error key_error(std::string reason, const std::filesystem::path& path, std::string what) {
  return Error{ErrorCode::Internal, std::move(reason), path.string() + ": " + what};
}
}  // namespace

MasterKey make_master_key(SecretBytes key) {
  std::array<std::uint8_t, 8> id{};
  crypto_generichash(id.data(), id.size(), key.data(), key.size(), reinterpret_cast<const std::uint8_t*>("veil-key-id"), 11);
  return MasterKey{std::move(key), to_hex(id)};
}

Status write_key_file(const std::filesystem::path& path, const SecretBytes& key) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return key_error("key_file_unwritable", tmp, "cannot be created");
  std::string hex = to_hex(key.view()) + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 && ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) &&
            ::fsync(fd) == 0;
  sodium_memzero(hex.data(), hex.size());
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) return key_error("key_file_unwritable", path, "write failed");
  return {};
}

Result<SecretBytes> load_key_file(const std::filesystem::path& path, std::size_t size, bool create) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (!create) return key_error("key_file_missing", path, "does not exist");
    SecretBytes fresh = SecretBytes::random(size);
    VEIL_TRY(write_key_file(path, fresh));
    return fresh;
  }
  // Refuse a key readable or writable by group or others: it protects every subject's data.
  if ((st.st_mode & 077) != 0)
    return key_error("key_file_insecure", path, "mode is wider than 0600; run chmod 600 on it");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return key_error("key_file_unreadable", path, "cannot be read");
  std::string buf(2 * size + 2, '\0');
  ssize_t n = ::read(fd, buf.data(), buf.size());
  ::close(fd);
  SecretBytes key(size);
  std::size_t len = 0;
  int rc = n < static_cast<ssize_t>(2 * size)
               ? -1
               : sodium_hex2bin(key.data(), key.size(), buf.data(), 2 * size, nullptr, &len, nullptr);
  sodium_memzero(buf.data(), buf.size());
  if (rc != 0 || len != size) return key_error("key_file_corrupt", path, "not " + std::to_string(2 * size) + " hex characters");
  return key;
}

Result<MasterKey> load_master_key(const std::filesystem::path& path, bool create) {
  return make_master_key(VEIL_TRY(load_key_file(path, kKeyBytes, create)));
}

}  // namespace veil::engine
