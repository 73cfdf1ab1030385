#pragma once
// Recharges (C10): a person orders coins, pays through the payment provider, and the provider's
// signed callback credits the coins exactly once. Minors cannot recharge ([004] 六; C9).
#include <array>
#include <string>

#include "modules/accounts/account_service.hpp"
#include "modules/wallet/ledger.hpp"
#include "modules/wallet/payment_provider.hpp"

namespace veil::wallet {

// What a person may buy, in CNY fen; ten coins a yuan.
inline constexpr std::array<std::int64_t, 5> kRechargeAmountsCents = {600, 3000, 9800, 29800, 64800};
inline constexpr std::int64_t kCoinsPerYuan = 10;

struct RechargeOrder {
  std::string order_no;
  std::int64_t amount_cents = 0, coins = 0;
  std::string status;  // pending | paid | failed
  Millis created_at = 0, settled_at = 0;
  std::string pay_url;  // where to pay (on creation only)
};

// A client's idempotency key: 8–64 of [A-Za-z0-9_-]. Error request_id_invalid.
Status check_request_id(std::string_view request_id);
// Refuses minors: minor_payment_refused (403).
Status refuse_minor(store::Session& s, accounts::AccountService& accounts, const std::string& account_id);

class Recharges {
 public:
  Recharges(store::Database& db, engine::Engine& engine, accounts::AccountService& accounts, Ledger& ledger,
            PaymentProvider& provider, const Clock& clock)
      : db_(db), engine_(engine), accounts_(accounts), ledger_(ledger), provider_(provider), clock_(clock) {}

  // A new order (the same request id answers the same order). Errors: recharge_amount_invalid,
  // request_id_invalid, minor_payment_refused, payment_unavailable.
  Result<RechargeOrder> create(const std::string& account_id, std::int64_t amount_cents, const std::string& request_id);
  // The account's own order; another's is not_found.
  Result<RechargeOrder> get(const std::string& account_id, const std::string& order_no);
  // The provider's callback: signature and freshness checked, then a paid order credited once (a
  // replay changes nothing). Errors: signature_invalid, signature_expired, payment_callback_invalid,
  // payment_amount_mismatch, payment_order_settled, not_found.
  Result<RechargeOrder> settle(std::string_view timestamp, std::string_view signature, std::string_view body);

 private:
  Result<RechargeOrder> load(store::Session& s, const std::string& order_no);
  store::Database& db_;
  engine::Engine& engine_;
  accounts::AccountService& accounts_;
  Ledger& ledger_;
  PaymentProvider& provider_;
  const Clock& clock_;
};

}  // namespace veil::wallet
