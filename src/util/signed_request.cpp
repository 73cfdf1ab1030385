#include "util/signed_request.hpp"

#include <sodium.h>

#include <array>
#include <charconv>

#include "util/encoding.hpp"

namespace veil {

std::string sign_body(const SecretBytes& secret, std::string_view timestamp, std::string_view body) {
  std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, secret.data(), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const std::uint8_t*>(timestamp.data()), timestamp.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const std::uint8_t*>("."), 1);
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const std::uint8_t*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  return to_hex(mac);
}

HttpRequest signed_json_post(std::string url, std::string body, const SecretBytes& secret, Millis now) {
  std::string timestamp = std::to_string(now / kSecond);
  HttpRequest request;
  request.url = std::move(url);
  request.headers = {{"Content-Type", "application/json"},
                     {std::string(kTimestampHeader), timestamp},
                     {std::string(kSignatureHeader), sign_body(secret, timestamp, body)}};
  request.body = std::move(body);
  return request;
}

Status verify_signed_body(const SecretBytes& secret, std::string_view timestamp, std::string_view signature,
                          std::string_view body, Millis now, Millis window) {
  std::int64_t seconds = 0;
  auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), seconds);
  if (ec != std::errc() || end != timestamp.data() + timestamp.size() || timestamp.empty())
    return Error{ErrorCode::Unauthenticated, "signature_invalid", "timestamp is not a number"};
  std::string expected = sign_body(secret, timestamp, body);
  if (signature.size() != expected.size() ||
      sodium_memcmp(signature.data(), expected.data(), expected.size()) != 0)
    return Error{ErrorCode::Unauthenticated, "signature_invalid", "signature does not match"};
  Millis at = seconds * kSecond;
  if (at < now - window || at > now + window)
    return Error{ErrorCode::Unauthenticated, "signature_expired", "timestamp outside the accepted window"};
  return {};
}

}  // namespace veil
