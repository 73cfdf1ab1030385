// The wallet (C10, B6): balances and history, recharges through the payment provider and its
// signed callback, withdrawals of earnings; and, with --dev, the development provider's checkout.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"
#include "util/signed_request.hpp"

namespace veil::app {

using nlohmann::json;

namespace {
json order_json(const wallet::RechargeOrder& o) {
  json out = {{"order_no", o.order_no}, {"amount_cents", o.amount_cents}, {"coins", o.coins}, {"status", o.status},
              {"created_at", o.created_at}};
  if (o.settled_at) out["settled_at"] = o.settled_at;
  if (!o.pay_url.empty()) out["pay_url"] = o.pay_url;
  return out;
}

json withdrawal_json(const wallet::Withdrawal& w) {
  return {{"id", w.id}, {"coins", w.coins}, {"amount_cents", w.amount_cents}, {"status", w.status}, {"created_at", w.created_at}};
}

Result<std::int64_t> required_integer(const json& body, std::string_view key, std::string reason) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return Error::invalid(std::move(reason));
  return it->get<std::int64_t>();
}
}  // namespace

void add_wallet_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/wallet", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string account = VEIL_TRY(ctx.account_of(request));
      wallet::WalletSummary w = VEIL_TRY(ctx.wallets.summary(account));
      json lines = json::array(), withdrawals = json::array(), amounts = json::array();
      for (const auto& l : w.lines)
        lines.push_back({{"transaction_id", l.transaction_id}, {"kind", l.kind}, {"wallet", l.wallet}, {"amount", l.amount},
                         {"reference", l.reference}, {"detail", json::parse(l.detail, nullptr, false)}, {"at", l.at}});
      for (const auto& x : w.withdrawals) withdrawals.push_back(withdrawal_json(x));
      for (auto cents : wallet::kRechargeAmountsCents) amounts.push_back({{"amount_cents", cents}, {"coins", cents / 100 * wallet::kCoinsPerYuan}});
      return json_response(200, {{"coins", w.coins}, {"earnings", w.earnings}, {"lines", lines}, {"withdrawals", withdrawals},
                                 {"recharge_amounts", amounts}, {"min_withdrawal_coins", wallet::kMinWithdrawalCoins}});
    });
  });
  router.add("POST", "/api/v1/wallet/recharges", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string account = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"amount_cents", "request_id"}));
      std::int64_t cents = VEIL_TRY(required_integer(body, "amount_cents", "recharge_amount_invalid"));
      auto order = VEIL_TRY(ctx.recharges.create(account, cents, VEIL_TRY(required_string(body, "request_id", 64))));
      return json_response(201, {{"order", order_json(order)}});
    });
  });
  router.add("GET", "/api/v1/wallet/recharges/{order}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string account = VEIL_TRY(ctx.account_of(request));
      return json_response(200, {{"order", order_json(VEIL_TRY(ctx.recharges.get(account, request.params["order"])))}});
    });
  });
  // Called by the payment provider, not by a person: its signature is the authentication.
  router.add("POST", "/api/v1/payments/callback", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      auto order = VEIL_TRY(ctx.recharges.settle(request.header(kTimestampHeader), request.header(kSignatureHeader), request.body));
      return json_response(200, {{"order_no", order.order_no}, {"status", order.status}});
    });
  });
  router.add("POST", "/api/v1/wallet/withdrawals", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string account = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"coins", "request_id"}));
      std::int64_t coins = VEIL_TRY(required_integer(body, "coins", "withdrawal_amount_invalid"));
      auto w = VEIL_TRY(ctx.withdrawals.request(account, coins, VEIL_TRY(required_string(body, "request_id", 64))));
      return json_response(201, {{"withdrawal", withdrawal_json(w)}});
    });
  });
  // The development provider's checkout: the payer's own order, answered with the callback the
  // provider would send, for the checkout page to post to /api/v1/payments/callback.
  router.add("POST", "/api/v1/dev/payments/{order}/callback", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      if (!ctx.dev_payments) return Error{ErrorCode::NotFound, "dev_only", ""};
      std::string account = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"paid"}));
      auto order = VEIL_TRY(ctx.recharges.get(account, request.params["order"]));
      auto signed_callback = ctx.dev_payments->callback({order.order_no, order.amount_cents}, VEIL_TRY(required_bool(body, "paid")), ctx.clock.now());
      return json_response(200, {{"body", signed_callback.body},
                                 {"headers", {{kTimestampHeader, signed_callback.timestamp}, {kSignatureHeader, signed_callback.signature}}}});
    });
  });
}

}  // namespace veil::app
