#pragma once
// The double-entry ledger under every coin ([004] 一(三)7 虚拟财产): a transaction is a set of
// entries on wallets that sums to zero, posted in the caller's database transaction. A person's
// wallet is debited only while it holds enough (a conditional update, so concurrent spending can
// never take it below zero), and a transaction is idempotent by (actor, request id).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "util/clock.hpp"

namespace veil::wallet {

// A person's wallets: coins bought and spent, and earnings from gifts received.
enum class WalletKind { Coins, Earnings };
std::string_view to_string(WalletKind kind);

// The platform's own wallets: the other side of recharges, its share of gifts, paid-out earnings.
inline constexpr std::string_view kPaymentsWallet = "platform:payments";
inline constexpr std::string_view kRevenueWallet = "platform:revenue";
inline constexpr std::string_view kPayoutsWallet = "platform:payouts";

struct Leg {
  std::string wallet_id;
  std::int64_t amount = 0;  // negative: a debit
};

struct Posting {
  std::string purpose;     // the data-map purpose the transaction serves (recharge, gifting, withdrawal)
  std::string actor_id;    // whose request this is
  std::string request_id;  // the client's idempotency key (or a provider's order number)
  std::string kind;        // recharge | gift | withdrawal
  std::string reference;   // what it is about: an order number, a room, a withdrawal
  std::string detail;      // non-personal JSON saying what the operation is (a gift, its quantity, the
                           // room): a request id posted again with another detail is refused
  std::vector<Leg> legs;
};

struct Posted {
  std::string transaction_id;
  bool replayed = false;  // the same request was posted before; nothing changed now
};

class Ledger {
 public:
  Ledger(engine::Engine& engine, const Clock& clock) : engine_(engine), clock_(clock) {}

  // The person's wallet of `kind`, made on first use under `purpose`.
  Result<std::string> wallet_of(store::Session& s, const std::string& owner, WalletKind kind, std::string_view purpose);
  Result<std::int64_t> balance(store::Session& s, const std::string& wallet_id);

  // The transaction already posted for this request, if any.
  Result<std::optional<std::string>> posted(store::Session& s, const std::string& actor_id, const std::string& request_id);

  // Posts `p` in the caller's transaction; a request already posted answers the first transaction
  // (replayed), whatever its reference. Errors: insufficient_balance (409), request_id_reused
  // (409: the same request id for a different kind or detail). Two racing posts of one request: the
  // loser's transaction fails with `conflict`; run it again (see `posting`) and it is a replay.
  Result<Posted> post(store::Session& s, const Posting& p);

 private:
  engine::Engine& engine_;
  const Clock& clock_;
};

// Runs a transaction that posts to the ledger, once more if it lost a race on its request id,
// when the second run finds the first's transaction and answers it as a replay.
template <class T, class F>
Result<T> posting(store::Database& db, F&& body) {
  Result<T> out = store::transact<T>(db, body);
  if (!out.ok() && out.error().reason == "conflict") out = store::transact<T>(db, body);
  return out;
}

}  // namespace veil::wallet
