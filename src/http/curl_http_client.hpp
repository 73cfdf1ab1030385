#pragma once
// HttpClient over libcurl (HTTPS included), for provider adapters.
#include "util/http_client.hpp"

namespace veil::http {

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient();
  ~CurlHttpClient() override;
  Result<HttpResponse> send(const HttpRequest& request) override;
};

}  // namespace veil::http
