#include "modules/accounts/accounts_schema.hpp"

namespace veil::accounts {

std::vector<store::Migration> accounts_migrations() {
  return {
      {201, "accounts: accounts, roles, profiles, sessions", R"(
CREATE TABLE accounts (id TEXT PRIMARY KEY, phone_bidx TEXT NOT NULL UNIQUE, phone_cipher BLOB NOT NULL,
                       password_hash TEXT, birth_date_cipher BLOB, minor BIGINT NOT NULL DEFAULT 0,
                       status TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE account_roles (account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, role TEXT NOT NULL,
                            granted_at BIGINT NOT NULL, PRIMARY KEY (account_id, role));
CREATE TABLE profiles (account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE, nickname TEXT,
                       gender TEXT, hometown TEXT, industry TEXT, intro TEXT, avatar_url TEXT,
                       updated_at BIGINT NOT NULL);
CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                       created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX sessions_by_account ON sessions (account_id);
)"},
      {202, "accounts: codes, security events, guardians, development outbox", R"(
CREATE TABLE otp_codes (id TEXT PRIMARY KEY, phone_bidx TEXT NOT NULL, purpose TEXT NOT NULL, code_hash TEXT NOT NULL,
                        attempts BIGINT NOT NULL, expires_at BIGINT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX otp_codes_by_phone ON otp_codes (phone_bidx, purpose);
CREATE TABLE security_events (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, kind TEXT NOT NULL, ip_cipher BLOB,
                              at BIGINT NOT NULL);
CREATE INDEX security_events_by_account ON security_events (account_id);
CREATE TABLE guardian_consents (account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
                                guardian_phone_bidx TEXT NOT NULL, guardian_phone_cipher BLOB NOT NULL,
                                consented_at BIGINT NOT NULL);
CREATE TABLE sms_outbox (id TEXT PRIMARY KEY, phone_bidx TEXT NOT NULL, body_cipher BLOB NOT NULL, sent_at BIGINT NOT NULL);
CREATE INDEX sms_outbox_by_phone ON sms_outbox (phone_bidx);
)"},
      {203, "accounts: in-app notices", R"(
CREATE TABLE notices (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                      kind TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL, read_at BIGINT);
CREATE INDEX notices_by_account ON notices (account_id, created_at);
)"},
  };
}

}  // namespace veil::accounts
