#pragma once
// Outgoing HTTP for provider adapters (SMS gateway, later payment and verification services).
// The interface lives here so modules stay free of any HTTP library; net/ implements it.
#include <string>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace veil {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  long timeout_ms = 5000;
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace veil
