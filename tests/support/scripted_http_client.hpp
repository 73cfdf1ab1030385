#pragma once
// An HttpClient for provider adapters' unit tests: keeps the last request, answers as scripted.
#include "util/http_client.hpp"

namespace veil::test {

class ScriptedClient final : public HttpClient {
 public:
  explicit ScriptedClient(std::string scripted_answer) : answer(std::move(scripted_answer)) {}
  Result<HttpResponse> send(const HttpRequest& request) override {
    last = request;
    if (fail) return Error{ErrorCode::Unavailable, "net", "refused"};
    return HttpResponse{status, answer, {}};
  }
  HttpRequest last;
  long status = 200;
  std::string answer;
  bool fail = false;
};

}  // namespace veil::test
