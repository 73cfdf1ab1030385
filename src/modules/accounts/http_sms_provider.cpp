#include "modules/accounts/http_sms_provider.hpp"

#include <sodium.h>

#include <array>

#include <nlohmann/json.hpp>

#include "util/encoding.hpp"

namespace veil::accounts {

Status HttpSmsProvider::send(const Pi<std::string>& phone, std::string_view text) {
  std::string body = nlohmann::json{{"to", phone.reveal()}, {"text", std::string(text)}}.dump();
  std::string timestamp = std::to_string(clock_.now() / kSecond);
  std::string signed_text = timestamp + "." + body;
  std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, secret_.data(), secret_.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const std::uint8_t*>(signed_text.data()), signed_text.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  HttpRequest request;
  request.url = url_;
  request.headers = {{"Content-Type", "application/json"}, {"X-Veil-Timestamp", timestamp},
                     {"X-Veil-Signature", to_hex(mac)}};
  request.body = std::move(body);
  auto response = client_.send(request);
  sodium_memzero(request.body.data(), request.body.size());
  if (!response.ok()) return Error{ErrorCode::Unavailable, "sms_unavailable", response.error().detail};
  if (response->status < 200 || response->status >= 300)
    return Error{ErrorCode::Unavailable, "sms_unavailable", "gateway answered HTTP " + std::to_string(response->status)};
  return {};
}

}  // namespace veil::accounts
