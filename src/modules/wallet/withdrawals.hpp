#pragma once
// Withdrawals (B6; [004] 一(三)9: 提现须身份认证): a streamer turns earnings into money. It needs
// real-name verification with a face check in the last ten minutes; the coins leave the earnings
// wallet at once and the request waits for the platform's payout.
#include <string>
#include <vector>

#include "modules/identity/real_name_service.hpp"
#include "modules/wallet/ledger.hpp"

namespace veil::wallet {

inline constexpr std::int64_t kMinWithdrawalCoins = 100;
inline constexpr Millis kIdentityCheckWindow = 10 * kMinute;

struct Withdrawal {
  std::string id;
  std::int64_t coins = 0, amount_cents = 0;
  std::string status;  // requested
  Millis created_at = 0;
};

class Withdrawals {
 public:
  Withdrawals(store::Database& db, engine::Engine& engine, identity::RealNameService& real_names, Ledger& ledger, const Clock& clock)
      : db_(db), engine_(engine), real_names_(real_names), ledger_(ledger), clock_(clock) {}

  // The same request id again answers the first withdrawal. Errors: withdrawal_amount_invalid,
  // request_id_invalid, identity_check_required (403), insufficient_earnings (409), request_id_reused.
  Result<Withdrawal> request(const std::string& account_id, std::int64_t coins, const std::string& request_id);
  Result<std::vector<Withdrawal>> list(store::Session& s, const std::string& account_id);

 private:
  // The withdrawal made by this request, if any.
  Result<std::optional<Withdrawal>> made_by(store::Session& s, const std::string& account_id, const std::string& request_id);
  store::Database& db_;
  engine::Engine& engine_;
  identity::RealNameService& real_names_;
  Ledger& ledger_;
  const Clock& clock_;
};

}  // namespace veil::wallet
