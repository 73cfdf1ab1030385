#pragma once
// Recharges are paid through a payment provider ([004] 一(三)7; [001]: 我们需要将您的订单号、交易金额
// 信息与支付机构共享). It receives only the order number and the amount, and later calls back,
// signed (util/signed_request.hpp), to say whether the order was paid. Implementations:
// DevPaymentProvider (development: a checkout page of our own that signs the callback) and
// HttpPaymentProvider (a provider configured by URL and secret).
#include <cstdint>
#include <string>

#include "util/result.hpp"
#include "util/secret_bytes.hpp"

namespace veil::wallet {

struct PaymentOrder {
  std::string order_no;
  std::int64_t amount_cents = 0;  // CNY fen
};

// The callback a provider sends: {"order_no","amount_cents","status":"paid"|"failed"}.
std::string payment_callback_body(const PaymentOrder& order, bool paid);

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  // Registers the order with the provider; answers where the payer goes to pay.
  // Errors: payment_unavailable (503).
  virtual Result<std::string> start(const PaymentOrder& order) = 0;
  // The secret the provider signs its callbacks with.
  virtual const SecretBytes& callback_secret() const = 0;
};

}  // namespace veil::wallet
