#include "media/child_support.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace veil::media {

Result<int> free_loopback_port(int type) {
  int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error{ErrorCode::Unavailable, "media_unavailable", "socket"};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  bool ok = ::bind(fd, generic, sizeof address) == 0 && ::getsockname(fd, generic, &length) == 0;
  ::close(fd);
  if (!ok) return Error{ErrorCode::Unavailable, "media_unavailable", "no free port"};
  return static_cast<int>(ntohs(address.sin_port));
}

Status write_private_file(const std::filesystem::path& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error::internal("open " + path.string() + ": " + std::system_category().message(errno));
  // The file may predate us with wider permissions.
  bool ok = ::fchmod(fd, 0600) == 0;
  std::size_t written = 0;
  while (ok && written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok) return Error::internal("write " + path.string() + " failed");
  return {};
}

}  // namespace veil::media
