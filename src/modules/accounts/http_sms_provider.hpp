#pragma once
// A generic SMS gateway over HTTP(S): POST {"to","text"} as JSON to the configured URL, signed
// with HMAC-SHA256 over "<timestamp>.<body>" using the configured secret (headers
// X-Veil-Timestamp and X-Veil-Signature), so the gateway can reject forged or replayed calls.
// The gateway receives only the number and the message ([datamap] recipient sms_gateway).
#include "modules/accounts/sms_provider.hpp"
#include "util/clock.hpp"
#include "util/http_client.hpp"
#include "util/secret_bytes.hpp"

namespace veil::accounts {

class HttpSmsProvider final : public SmsProvider {
 public:
  HttpSmsProvider(HttpClient& client, std::string url, SecretBytes secret, const Clock& clock)
      : client_(client), url_(std::move(url)), secret_(std::move(secret)), clock_(clock) {}
  Status send(const Pi<std::string>& phone, std::string_view text) override;

 private:
  HttpClient& client_;
  std::string url_;
  SecretBytes secret_;
  const Clock& clock_;
};

}  // namespace veil::accounts
