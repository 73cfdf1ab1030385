#pragma once
#include <vector>

#include "store/database.hpp"

namespace veil::wallet {

// Migrations 501–: wallets, the double-entry ledger, recharge orders, withdrawals.
std::vector<store::Migration> wallet_migrations();

}  // namespace veil::wallet
