#include "modules/wallet/dev_payment_provider.hpp"

#include <nlohmann/json.hpp>

#include "util/signed_request.hpp"

namespace veil::wallet {

std::string payment_callback_body(const PaymentOrder& order, bool paid) {
  return nlohmann::json{{"order_no", order.order_no}, {"amount_cents", order.amount_cents}, {"status", paid ? "paid" : "failed"}}.dump();
}

DevPaymentProvider::DevPaymentProvider() : secret_(SecretBytes::random(32)) {}

Result<std::string> DevPaymentProvider::start(const PaymentOrder& order) { return "/#/wallet/checkout?order=" + order.order_no; }

SignedCallback DevPaymentProvider::callback(const PaymentOrder& order, bool paid, Millis now) const {
  SignedCallback out{payment_callback_body(order, paid), std::to_string(now / kSecond), ""};
  out.signature = sign_body(secret_, out.timestamp, out.body);
  return out;
}

}  // namespace veil::wallet
