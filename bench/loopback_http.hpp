#pragma once
// A minimal HTTP/1.1 client over one keep-alive loopback connection: just enough to register a
// user and time GET /api/v1/me without pulling a client library's own cost into the figure.
// Understands Content-Length bodies only (what the Veil server sends).
#include <string>
#include <string_view>

namespace veil::bench {

struct HttpReply {
  int status = 0;
  std::string body;
};

class LoopbackHttp {
 public:
  // Connects to 127.0.0.1:port, from `source` (another 127.x.y.z address) when given, as a
  // person on another machine would; throws on failure.
  explicit LoopbackHttp(unsigned short port, std::string_view source = {});
  ~LoopbackHttp();
  LoopbackHttp(const LoopbackHttp&) = delete;
  LoopbackHttp& operator=(const LoopbackHttp&) = delete;

  // Sends one request and reads the whole reply; a JSON body is sent when `body` is not empty.
  HttpReply request(std::string_view method, std::string_view target, std::string_view body = {},
                    std::string_view bearer = {});

 private:
  void send_all(std::string_view bytes);
  void read_more();
  int fd_ = -1;
  std::string buffer_;  // bytes received and not yet consumed
};

}  // namespace veil::bench
