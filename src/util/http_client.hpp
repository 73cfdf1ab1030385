#pragma once
// Outgoing HTTP for provider adapters (SMS gateway, later payment and verification services).
// The interface lives here so modules stay free of any HTTP library; net/ implements it.
#include <string>
#include <string_view>
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
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order received

  std::string header(std::string_view name) const {  // the first with this (lower-case) name
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return {};
  }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace veil
