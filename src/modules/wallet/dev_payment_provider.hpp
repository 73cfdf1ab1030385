#pragma once
// The development payment provider: no money moves. Its checkout is a page of the web app
// (/#/wallet/checkout) where the developer pays or cancels; the server then hands the page the
// provider's signed callback, which it posts to the callback endpoint exactly as a real provider
// would. The signing secret is drawn per process, so nothing outside this server can forge it.
#include "modules/wallet/payment_provider.hpp"
#include "util/clock.hpp"

namespace veil::wallet {

struct SignedCallback {
  std::string body, timestamp, signature;
};

class DevPaymentProvider final : public PaymentProvider {
 public:
  DevPaymentProvider();
  Result<std::string> start(const PaymentOrder& order) override;
  const SecretBytes& callback_secret() const override { return secret_; }
  // What the provider would send when the payer pays (`paid`) or gives up.
  SignedCallback callback(const PaymentOrder& order, bool paid, Millis now) const;

 private:
  SecretBytes secret_;
};

}  // namespace veil::wallet
