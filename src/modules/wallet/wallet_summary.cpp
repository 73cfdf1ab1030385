#include "modules/wallet/wallet_summary.hpp"

namespace veil::wallet {

Result<WalletSummary> Wallets::summary(const std::string& account_id) {
  return store::read<WalletSummary>(db_, [&](store::Session& s) -> Result<WalletSummary> {
    VEIL_TRY(engine_.fields().check(s, account_id, "recharge", "wallet.balance"));
    WalletSummary out;
    for (const auto& r : VEIL_TRY(s.query("SELECT kind, balance FROM wallet_accounts WHERE owner_id = ?", {store::Value{account_id}})))
      (r.text(0) == "coins" ? out.coins : out.earnings) = r.integer(1);
    auto rows = VEIL_TRY(s.query(
        "SELECT t.id, t.kind, a.kind, e.amount, t.reference, t.detail, t.created_at FROM ledger_entries e "
        "JOIN wallet_accounts a ON a.id = e.wallet_id JOIN ledger_transactions t ON t.id = e.transaction_id "
        "WHERE a.owner_id = ? ORDER BY t.created_at DESC, t.id LIMIT 50",
        {store::Value{account_id}}));
    for (const auto& r : rows) out.lines.push_back({r.text(0), r.text(1), r.text(2), r.integer(3), r.text(4), r.text(5), r.integer(6)});
    out.withdrawals = VEIL_TRY(withdrawals_.list(s, account_id));
    return out;
  });
}

}  // namespace veil::wallet
