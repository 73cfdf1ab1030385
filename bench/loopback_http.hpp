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
  explicit LoopbackHttp(unsigned short port);  // connects to 127.0.0.1:port; throws on failure
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
