#pragma once
// What a person sees of their wallets ([004] 一(三)7: 虚拟财产余额信息在相关功能页面显示): the
// balances, their latest ledger entries, and their withdrawals.
#include <string>
#include <vector>

#include "modules/wallet/withdrawals.hpp"

namespace veil::wallet {

struct WalletLine {
  std::string transaction_id, kind;  // recharge | gift | withdrawal
  std::string wallet;                // coins | earnings
  std::int64_t amount = 0;           // to this wallet; negative: out of it
  std::string reference, detail;
  Millis at = 0;
};

struct WalletSummary {
  std::int64_t coins = 0, earnings = 0;
  std::vector<WalletLine> lines;  // newest first, at most 50
  std::vector<Withdrawal> withdrawals;
};

class Wallets {
 public:
  Wallets(store::Database& db, engine::Engine& engine, Withdrawals& withdrawals) : db_(db), engine_(engine), withdrawals_(withdrawals) {}
  Result<WalletSummary> summary(const std::string& account_id);

 private:
  store::Database& db_;
  engine::Engine& engine_;
  Withdrawals& withdrawals_;
};

}  // namespace veil::wallet
