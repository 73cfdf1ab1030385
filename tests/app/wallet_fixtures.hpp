#pragma once
// Buying coins the way a person does with the development payment provider: an order, the
// provider's signed callback (handed out by the dev checkout), posted to the callback endpoint.
#include <atomic>

#include "app/api_server.hpp"

namespace veil::test {

inline std::string fresh_request_id() {
  static std::atomic<int> n{0};
  return "req-" + std::to_string(++n) + "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

// The callback the development provider signs for `order_no` (paid or not), as body + headers.
inline nlohmann::json dev_callback(ApiServer& api, const std::string& token, const std::string& order_no, bool paid = true) {
  return api.post("/api/v1/dev/payments/" + order_no + "/callback", {{"paid", paid}}, token).body;
}

inline ApiReply post_callback(ApiServer& api, const nlohmann::json& callback) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : callback["headers"].items()) headers.emplace_back(name, value.get<std::string>());
  return api.send_raw("POST", "/api/v1/payments/callback", callback["body"].get<std::string>(), "application/json", "", headers);
}

// Orders `cents` of coins and pays; returns the order number.
inline std::string recharge(ApiServer& api, const std::string& token, std::int64_t cents) {
  ApiReply order = api.post("/api/v1/wallet/recharges", {{"amount_cents", cents}, {"request_id", fresh_request_id()}}, token);
  std::string order_no = order.body["order"]["order_no"];
  post_callback(api, dev_callback(api, token, order_no));
  return order_no;
}

}  // namespace veil::test
