#include "modules/accounts/http_sms_provider.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "util/signed_request.hpp"

namespace veil::accounts {

Status HttpSmsProvider::send(const Pi<std::string>& phone, std::string_view text) {
  std::string body = nlohmann::json{{"to", phone.reveal()}, {"text", std::string(text)}}.dump();
  HttpRequest request = signed_json_post(url_, std::move(body), secret_, clock_.now());
  auto response = client_.send(request);
  sodium_memzero(request.body.data(), request.body.size());
  if (!response.ok()) return Error{ErrorCode::Unavailable, "sms_unavailable", response.error().detail};
  if (response->status < 200 || response->status >= 300)
    return Error{ErrorCode::Unavailable, "sms_unavailable", "gateway answered HTTP " + std::to_string(response->status)};
  return {};
}

}  // namespace veil::accounts
