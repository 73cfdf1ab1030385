#pragma once
// A payment provider over HTTP(S): POST {"order_no","amount_cents"} as JSON, signed like every
// provider call (util/signed_request.hpp); it answers {"pay_url"}. Its callbacks are signed with
// the same shared secret. Nothing else about the payer is sent.
#include "modules/wallet/payment_provider.hpp"
#include "util/clock.hpp"
#include "util/http_client.hpp"

namespace veil::wallet {

class HttpPaymentProvider final : public PaymentProvider {
 public:
  HttpPaymentProvider(HttpClient& client, std::string url, SecretBytes secret, const Clock& clock)
      : client_(client), url_(std::move(url)), secret_(std::move(secret)), clock_(clock) {}
  Result<std::string> start(const PaymentOrder& order) override;
  const SecretBytes& callback_secret() const override { return secret_; }

 private:
  HttpClient& client_;
  std::string url_;
  SecretBytes secret_;
  const Clock& clock_;
};

}  // namespace veil::wallet
