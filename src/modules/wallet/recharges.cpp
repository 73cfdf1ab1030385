#include "modules/wallet/recharges.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "util/encoding.hpp"
#include "util/signed_request.hpp"

namespace veil::wallet {

namespace {
constexpr std::string_view kPurpose = "recharge";
}  // namespace

Status check_request_id(std::string_view id) {
  bool ok = id.size() >= 8 && id.size() <= 64 &&
            std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
  if (!ok) return Error::invalid("request_id_invalid");
  return {};
}

Status refuse_minor(store::Session& s, accounts::AccountService& accounts, const std::string& account_id) {
  if (VEIL_TRY(accounts.account(s, account_id)).minor) return Error{ErrorCode::PermissionDenied, "minor_payment_refused", ""};
  return {};
}

Result<RechargeOrder> Recharges::load(store::Session& s, const std::string& order_no) {
  auto rows = VEIL_TRY(s.query("SELECT order_no, amount_cents, coins, status, created_at, settled_at FROM recharge_orders WHERE order_no = ?",
                               {store::Value{order_no}}));
  if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "recharge order"};
  const auto& r = rows[0];
  return RechargeOrder{r.text(0), r.integer(1), r.integer(2), r.text(3), r.integer(4), r.is_null(5) ? 0 : r.integer(5), ""};
}

Result<RechargeOrder> Recharges::create(const std::string& account_id, std::int64_t amount_cents, const std::string& request_id) {
  if (std::find(kRechargeAmountsCents.begin(), kRechargeAmountsCents.end(), amount_cents) == kRechargeAmountsCents.end())
    return Error::invalid("recharge_amount_invalid");
  VEIL_TRY(check_request_id(request_id));
  RechargeOrder order = VEIL_TRY(posting<RechargeOrder>(db_, [&](store::Session& s) -> Result<RechargeOrder> {
    VEIL_TRY(refuse_minor(s, accounts_, account_id));
    auto earlier = VEIL_TRY(s.query("SELECT order_no, amount_cents FROM recharge_orders WHERE account_id = ? AND request_id = ?",
                                    {store::Value{account_id}, store::Value{request_id}}));
    if (!earlier.empty()) {
      if (earlier[0].integer(1) != amount_cents) return Error{ErrorCode::Conflict, "request_id_reused", ""};
      return load(s, earlier[0].text(0));
    }
    // The order number is all the provider learns of the person: random, so it reveals nothing.
    std::string order_no = "VL" + random_id(10);
    auto& f = engine_.fields();
    VEIL_TRY(f.check(s, account_id, kPurpose, "recharge.amount"));
    VEIL_TRY(s.execute("INSERT INTO recharge_orders (order_no, account_id, request_id, amount_cents, coins, status, created_at) "
                       "VALUES (?, ?, ?, ?, ?, 'pending', ?)",
                       {VEIL_TRY(f.encode(s, account_id, kPurpose, "recharge.order_no", order_no)),
                        VEIL_TRY(f.encode(s, account_id, kPurpose, "recharge.account", account_id)), store::Value{request_id},
                        store::Value{amount_cents}, store::Value{amount_cents / 100 * kCoinsPerYuan}, store::Value{clock_.now()}}));
    VEIL_TRY(ledger_.wallet_of(s, account_id, WalletKind::Coins, kPurpose));
    return load(s, order_no);
  }));
  if (order.status == "pending") order.pay_url = VEIL_TRY(provider_.start({order.order_no, order.amount_cents}));
  return order;
}

Result<RechargeOrder> Recharges::get(const std::string& account_id, const std::string& order_no) {
  return store::read<RechargeOrder>(db_, [&](store::Session& s) -> Result<RechargeOrder> {
    auto owner = VEIL_TRY(s.query("SELECT 1 FROM recharge_orders WHERE order_no = ? AND account_id = ?",
                                  {store::Value{order_no}, store::Value{account_id}}));
    if (owner.empty()) return Error{ErrorCode::NotFound, "not_found", "recharge order"};
    return load(s, order_no);
  });
}

Result<RechargeOrder> Recharges::settle(std::string_view timestamp, std::string_view signature, std::string_view body) {
  VEIL_TRY(verify_signed_body(provider_.callback_secret(), timestamp, signature, body, clock_.now()));
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object() || !json["order_no"].is_string() || !json["amount_cents"].is_number_integer() || !json["status"].is_string() ||
      (json["status"] != "paid" && json["status"] != "failed"))
    return Error::invalid("payment_callback_invalid");
  std::string order_no = json["order_no"];
  bool paid = json["status"] == "paid";
  return posting<RechargeOrder>(db_, [&](store::Session& s) -> Result<RechargeOrder> {
    RechargeOrder order = VEIL_TRY(load(s, order_no));
    if (json["amount_cents"].get<std::int64_t>() != order.amount_cents) return Error::invalid("payment_amount_mismatch");
    std::string now_status = paid ? "paid" : "failed";
    if (order.status != "pending") {
      if (order.status == now_status) return order;  // a replayed callback: nothing changes
      return Error{ErrorCode::Conflict, "payment_order_settled", ""};
    }
    auto owner_rows = VEIL_TRY(s.query("SELECT account_id FROM recharge_orders WHERE order_no = ?", {store::Value{order_no}}));
    std::string account_id = owner_rows[0].text(0);
    if (paid) {
      std::string wallet = VEIL_TRY(ledger_.wallet_of(s, account_id, WalletKind::Coins, kPurpose));
      VEIL_TRY(ledger_.post(s, {std::string(kPurpose), account_id, "order:" + order_no, "recharge", order_no, "{}",
                                {{std::string(kPaymentsWallet), -order.coins}, {wallet, order.coins}}}));
    }
    VEIL_TRY(s.execute("UPDATE recharge_orders SET status = ?, settled_at = ? WHERE order_no = ? AND status = 'pending'",
                       {store::Value{now_status}, store::Value{clock_.now()}, store::Value{order_no}}));
    VEIL_TRY(engine_.audit().append(s, {account_id, paid ? "wallet.recharged" : "wallet.recharge_failed", order_no,
                                        {{"amount_cents", order.amount_cents}, {"coins", order.coins}}}));
    return load(s, order_no);
  });
}

}  // namespace veil::wallet
