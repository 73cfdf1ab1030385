#include "engine/engine_schema.hpp"

namespace veil::engine {

std::vector<store::Migration> engine_migrations() {
  return {
      {101, "engine: vault", R"(
CREATE TABLE vault_meta (name TEXT PRIMARY KEY, wrapped BLOB NOT NULL, master_key_id TEXT NOT NULL,
                         updated_at BIGINT NOT NULL);
CREATE TABLE subject_keys (subject_id TEXT PRIMARY KEY, wrapped_key BLOB NOT NULL, master_key_id TEXT NOT NULL,
                           created_at BIGINT NOT NULL);
)"},
      {102, "engine: audit log", R"(
CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                        target TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
)"},
      {103, "engine: policy versions and consent ledger", R"(
CREATE TABLE policy_versions (version TEXT PRIMARY KEY, text_sha256 TEXT NOT NULL, published_at BIGINT NOT NULL,
                              material BIGINT NOT NULL);
CREATE TABLE consent_records (subject_id TEXT NOT NULL, seq BIGINT NOT NULL, policy_version TEXT NOT NULL,
                              action TEXT NOT NULL, purposes TEXT NOT NULL, channel TEXT NOT NULL, actor TEXT NOT NULL,
                              at BIGINT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
                              PRIMARY KEY (subject_id, seq));
)"},
  };
}

}  // namespace veil::engine
