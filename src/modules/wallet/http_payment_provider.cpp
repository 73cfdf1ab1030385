#include "modules/wallet/http_payment_provider.hpp"

#include <nlohmann/json.hpp>

#include "util/signed_request.hpp"

namespace veil::wallet {

Result<std::string> HttpPaymentProvider::start(const PaymentOrder& order) {
  std::string body = nlohmann::json{{"order_no", order.order_no}, {"amount_cents", order.amount_cents}}.dump();
  auto response = client_.send(signed_json_post(url_, std::move(body), secret_, clock_.now()));
  if (!response.ok()) return Error{ErrorCode::Unavailable, "payment_unavailable", response.error().detail};
  if (response->status < 200 || response->status >= 300)
    return Error{ErrorCode::Unavailable, "payment_unavailable", "provider answered HTTP " + std::to_string(response->status)};
  auto answer = nlohmann::json::parse(response->body, nullptr, false);
  if (!answer.is_object() || !answer.contains("pay_url") || !answer["pay_url"].is_string())
    return Error{ErrorCode::Unavailable, "payment_unavailable", "provider answer has no `pay_url`"};
  return answer["pay_url"].get<std::string>();
}

}  // namespace veil::wallet
