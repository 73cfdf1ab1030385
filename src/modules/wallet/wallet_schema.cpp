#include "modules/wallet/wallet_schema.hpp"

namespace veil::wallet {

std::vector<store::Migration> wallet_migrations() {
  return {
      // A wallet holds coins. A person's wallets (`coins` to spend, `earnings` from gifts) can never
      // go below zero, and the database refuses it too; the platform's own wallets (no owner) are
      // the other side of money coming in and going out, so they may. Every change of a balance is
      // one ledger transaction whose entries sum to zero. A transaction is idempotent by
      // (actor, request_id): the same request twice is posted once. Wallet owners have no foreign
      // key on purpose: transaction records outlive an account for the period the law requires.
      {501, "wallet: wallets and the double-entry ledger", R"(
CREATE TABLE wallet_accounts (id TEXT PRIMARY KEY, owner_id TEXT, kind TEXT NOT NULL, balance BIGINT NOT NULL,
                              created_at BIGINT NOT NULL, UNIQUE (owner_id, kind),
                              CHECK (owner_id IS NULL OR balance >= 0));
INSERT INTO wallet_accounts (id, owner_id, kind, balance, created_at) VALUES ('platform:payments', NULL, 'payments', 0, 0);
INSERT INTO wallet_accounts (id, owner_id, kind, balance, created_at) VALUES ('platform:revenue', NULL, 'revenue', 0, 0);
INSERT INTO wallet_accounts (id, owner_id, kind, balance, created_at) VALUES ('platform:payouts', NULL, 'payouts', 0, 0);
CREATE TABLE ledger_transactions (id TEXT PRIMARY KEY, actor_id TEXT NOT NULL, request_id TEXT NOT NULL, kind TEXT NOT NULL,
                                  reference TEXT NOT NULL, detail TEXT NOT NULL, created_at BIGINT NOT NULL,
                                  UNIQUE (actor_id, request_id));
CREATE INDEX ledger_transactions_by_reference ON ledger_transactions (kind, reference);
CREATE TABLE ledger_entries (transaction_id TEXT NOT NULL REFERENCES ledger_transactions(id),
                             wallet_id TEXT NOT NULL REFERENCES wallet_accounts(id), amount BIGINT NOT NULL,
                             PRIMARY KEY (transaction_id, wallet_id));
CREATE INDEX ledger_entries_by_wallet ON ledger_entries (wallet_id);
)"},
      // A recharge order carries only what the payment provider receives (its number and the
      // amount) and whose it is; it is credited once, when the provider's signed callback says paid.
      {502, "wallet: recharge orders and withdrawals", R"(
CREATE TABLE recharge_orders (order_no TEXT PRIMARY KEY, account_id TEXT NOT NULL, request_id TEXT NOT NULL,
                              amount_cents BIGINT NOT NULL, coins BIGINT NOT NULL, status TEXT NOT NULL,
                              created_at BIGINT NOT NULL, settled_at BIGINT, UNIQUE (account_id, request_id));
CREATE TABLE withdrawals (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, coins BIGINT NOT NULL, amount_cents BIGINT NOT NULL,
                          status TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX withdrawals_by_account ON withdrawals (account_id, created_at);
)"},
  };
}

}  // namespace veil::wallet
