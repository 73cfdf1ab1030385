#include "loopback_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace veil::bench {

namespace {
[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}
}  // namespace

LoopbackHttp::LoopbackHttp(unsigned short port, std::string_view source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) fail("socket");
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (::inet_pton(AF_INET, std::string(source).c_str(), &local.sin_addr) != 1)
      throw std::runtime_error("not an IPv4 address: " + std::string(source));
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) fail("bind");
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
    fail("connect");
  // As wrk and browsers do: without it Nagle holds small requests back and the timing measures
  // the delayed-ACK timer instead of the server.
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

LoopbackHttp::~LoopbackHttp() {
  if (fd_ >= 0) ::close(fd_);
}

void LoopbackHttp::send_all(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) fail("send");
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

void LoopbackHttp::read_more() {
  char chunk[16 * 1024];
  ssize_t got = 0;
  do {
    got = ::recv(fd_, chunk, sizeof chunk, 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) fail("recv");
  if (got == 0) throw std::runtime_error("server closed the connection");
  buffer_.append(chunk, static_cast<std::size_t>(got));
}

HttpReply LoopbackHttp::request(std::string_view method, std::string_view target,
                                std::string_view body, std::string_view bearer) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  if (!bearer.empty()) out.append("Authorization: Bearer ").append(bearer).append("\r\n");
  if (!body.empty())
    out.append("Content-Type: application/json\r\nContent-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n");
  out.append("\r\n").append(body);
  send_all(out);

  std::size_t header_end = std::string::npos;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) read_more();
  const std::string head = lower(std::string_view(buffer_).substr(0, header_end));
  HttpReply reply;
  reply.status = std::stoi(head.substr(head.find(' ') + 1, 3));
  std::size_t length = 0;
  if (auto at = head.find("\r\ncontent-length:"); at != std::string::npos)
    length = std::stoul(head.substr(at + std::strlen("\r\ncontent-length:")));
  const std::size_t body_start = header_end + 4;
  while (buffer_.size() < body_start + length) read_more();
  reply.body = buffer_.substr(body_start, length);
  buffer_.erase(0, body_start + length);
  return reply;
}

}  // namespace veil::bench
