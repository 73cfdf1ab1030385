#include "modules/wallet/ledger.hpp"

#include <algorithm>
#include <numeric>

#include "util/encoding.hpp"

namespace veil::wallet {

namespace {
bool is_platform_wallet(const std::string& id) { return id.starts_with("platform:"); }
}  // namespace

std::string_view to_string(WalletKind kind) { return kind == WalletKind::Coins ? "coins" : "earnings"; }

Result<std::string> Ledger::wallet_of(store::Session& s, const std::string& owner, WalletKind kind, std::string_view purpose) {
  auto rows = VEIL_TRY(s.query("SELECT id FROM wallet_accounts WHERE owner_id = ? AND kind = ?",
                               {store::Value{owner}, store::Value{std::string(to_string(kind))}}));
  if (!rows.empty()) return rows[0].text(0);
  std::string id = random_id(12);
  VEIL_TRY(engine_.fields().check(s, owner, purpose, "wallet.balance"));
  VEIL_TRY(s.execute("INSERT INTO wallet_accounts (id, owner_id, kind, balance, created_at) VALUES (?, ?, ?, 0, ?)",
                     {store::Value{id}, VEIL_TRY(engine_.fields().encode(s, owner, purpose, "wallet.owner", owner)),
                      store::Value{std::string(to_string(kind))}, store::Value{clock_.now()}}));
  return id;
}

Result<std::int64_t> Ledger::balance(store::Session& s, const std::string& wallet_id) {
  auto rows = VEIL_TRY(s.query("SELECT balance FROM wallet_accounts WHERE id = ?", {store::Value{wallet_id}}));
  if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "wallet"};
  return rows[0].integer(0);
}

Result<std::optional<std::string>> Ledger::posted(store::Session& s, const std::string& actor_id, const std::string& request_id) {
  auto rows = VEIL_TRY(s.query("SELECT id FROM ledger_transactions WHERE actor_id = ? AND request_id = ?",
                               {store::Value{actor_id}, store::Value{request_id}}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].text(0));
}

Result<Posted> Ledger::post(store::Session& s, const Posting& p) {
  std::int64_t sum = std::accumulate(p.legs.begin(), p.legs.end(), std::int64_t{0},
                                     [](std::int64_t acc, const Leg& leg) { return acc + leg.amount; });
  if (sum != 0 || p.legs.size() < 2) return Error::internal("ledger posting does not balance");

  auto earlier = VEIL_TRY(s.query("SELECT id, kind, reference, detail FROM ledger_transactions WHERE actor_id = ? AND request_id = ?",
                                  {store::Value{p.actor_id}, store::Value{p.request_id}}));
  if (!earlier.empty()) {
    const auto& r = earlier[0];
    if (r.text(1) != p.kind || r.text(3) != p.detail)
      return Error{ErrorCode::Conflict, "request_id_reused", ""};
    return Posted{r.text(0), true};
  }

  std::string id = random_id(12);
  VEIL_TRY(s.execute("INSERT INTO ledger_transactions (id, actor_id, request_id, kind, reference, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     {store::Value{id}, VEIL_TRY(engine_.fields().encode(s, p.actor_id, p.purpose, "ledger.actor", p.actor_id)), store::Value{p.request_id}, store::Value{p.kind},
                      store::Value{p.reference}, store::Value{p.detail}, store::Value{clock_.now()}}));
  // Debits first, then credits in wallet-id order: every transaction takes its row locks in the
  // same order, so concurrent postings on PostgreSQL wait for each other instead of deadlocking.
  std::vector<Leg> legs = p.legs;
  std::stable_sort(legs.begin(), legs.end(), [](const Leg& a, const Leg& b) {
    if ((a.amount < 0) != (b.amount < 0)) return a.amount < 0;
    return a.wallet_id < b.wallet_id;
  });
  for (const Leg& leg : legs) {
    if (leg.amount < 0 && !is_platform_wallet(leg.wallet_id)) {
      std::int64_t changed = VEIL_TRY(s.execute("UPDATE wallet_accounts SET balance = balance + ? WHERE id = ? AND balance + ? >= 0",
                                                {store::Value{leg.amount}, store::Value{leg.wallet_id}, store::Value{leg.amount}}));
      if (changed != 1) return Error{ErrorCode::Conflict, "insufficient_balance", ""};
    } else {
      VEIL_TRY(s.execute("UPDATE wallet_accounts SET balance = balance + ? WHERE id = ?", {store::Value{leg.amount}, store::Value{leg.wallet_id}}));
    }
    VEIL_TRY(s.execute("INSERT INTO ledger_entries (transaction_id, wallet_id, amount) VALUES (?, ?, ?)",
                       {store::Value{id}, store::Value{leg.wallet_id}, store::Value{leg.amount}}));
  }
  return Posted{id, false};
}

}  // namespace veil::wallet
