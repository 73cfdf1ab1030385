#include "modules/wallet/withdrawals.hpp"

#include "modules/wallet/recharges.hpp"
#include "util/encoding.hpp"

namespace veil::wallet {

namespace {
constexpr std::string_view kPurpose = "withdrawal";
}  // namespace

Result<Withdrawal> Withdrawals::request(const std::string& account_id, std::int64_t coins, const std::string& request_id) {
  if (coins < kMinWithdrawalCoins || coins > 100'000'000) return Error::invalid("withdrawal_amount_invalid");
  VEIL_TRY(check_request_id(request_id));
  // A retried request answers the withdrawal it made, however long after the face check.
  auto earlier = VEIL_TRY(store::read<std::optional<Withdrawal>>(db_, [&](store::Session& s) { return made_by(s, account_id, request_id); }));
  if (earlier) return *earlier;
  identity::RealNameStatus identity = VEIL_TRY(real_names_.status(account_id));
  if (!identity.verified || identity.face_checked_at < clock_.now() - kIdentityCheckWindow)
    return Error{ErrorCode::PermissionDenied, "identity_check_required", ""};
  Result<Withdrawal> out = posting<Withdrawal>(db_, [&](store::Session& s) -> Result<Withdrawal> {
    std::string wallet = VEIL_TRY(ledger_.wallet_of(s, account_id, WalletKind::Earnings, kPurpose));
    std::string id = random_id(12);
    Posted posted = VEIL_TRY(ledger_.post(s, {std::string(kPurpose), account_id, request_id, "withdrawal", id, "{\"coins\":" + std::to_string(coins) + "}",
                                              {{wallet, -coins}, {std::string(kPayoutsWallet), coins}}}));
    if (posted.replayed) {
      auto made = VEIL_TRY(made_by(s, account_id, request_id));
      if (!made) return Error::internal("replayed withdrawal has no record");
      return *made;
    }
    VEIL_TRY(s.execute("INSERT INTO withdrawals (id, account_id, coins, amount_cents, status, created_at) VALUES (?, ?, ?, ?, 'requested', ?)",
                       {store::Value{id}, VEIL_TRY(engine_.fields().encode(s, account_id, kPurpose, "withdrawal.account", account_id)),
                        store::Value{coins}, store::Value{coins * 100 / kCoinsPerYuan}, store::Value{clock_.now()}}));
    VEIL_TRY(engine_.audit().append(s, {account_id, "wallet.withdrawal_requested", id, {{"coins", coins}}}));
    return Withdrawal{id, coins, coins * 100 / kCoinsPerYuan, "requested", clock_.now()};
  });
  // The ledger speaks of balances; here the balance is the host's earnings.
  if (!out.ok() && out.error().reason == "insufficient_balance") return Error{ErrorCode::Conflict, "insufficient_earnings", ""};
  return out;
}

Result<std::optional<Withdrawal>> Withdrawals::made_by(store::Session& s, const std::string& account_id, const std::string& request_id) {
  auto rows = VEIL_TRY(s.query("SELECT w.id, w.coins, w.amount_cents, w.status, w.created_at FROM withdrawals w "
                               "JOIN ledger_transactions t ON t.reference = w.id AND t.kind = 'withdrawal' "
                               "WHERE t.actor_id = ? AND t.request_id = ?",
                               {store::Value{account_id}, store::Value{request_id}}));
  if (rows.empty()) return std::optional<Withdrawal>();
  return std::optional<Withdrawal>(Withdrawal{rows[0].text(0), rows[0].integer(1), rows[0].integer(2), rows[0].text(3), rows[0].integer(4)});
}

Result<std::vector<Withdrawal>> Withdrawals::list(store::Session& s, const std::string& account_id) {
  auto rows = VEIL_TRY(s.query("SELECT id, coins, amount_cents, status, created_at FROM withdrawals WHERE account_id = ? ORDER BY created_at DESC LIMIT 50",
                               {store::Value{account_id}}));
  std::vector<Withdrawal> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.integer(1), r.integer(2), r.text(3), r.integer(4)});
  return out;
}

}  // namespace veil::wallet
