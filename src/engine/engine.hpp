#pragma once
// The privacy engine as one object: what modules receive. It owns the data map and every pillar
// built on it (vault, audit log, consent ledger, generated documents, receipts, field access).
#include <filesystem>
#include <memory>

#include "engine/access/field_access.hpp"
#include "engine/audit/audit_log.hpp"
#include "engine/consent/consent_ledger.hpp"
#include "engine/consent/receipt_signer.hpp"
#include "engine/datamap/data_map.hpp"
#include "engine/policy/policy_documents.hpp"
#include "engine/vault/vault.hpp"

namespace veil::engine {

struct EngineConfig {
  std::filesystem::path data_dir;         // holds master.key and signing.key (0600)
  std::filesystem::path datamap_file;     // datamap/datamap.toml
  std::filesystem::path policy_fragments; // i18n/policy.toml
};

class Engine {
 public:
  // Expects a migrated database (engine_migrations and every module's). Publishes the policy
  // version on first run with it.
  static Result<std::unique_ptr<Engine>> open(store::Database& db, const Clock& clock, const EngineConfig& config);

  const DataMap& map() const { return *map_; }
  Vault& vault() { return *vault_; }
  AuditLog& audit() { return *audit_; }
  ConsentLedger& consent() { return *consent_; }
  const PolicyDocuments& documents() const { return *documents_; }
  const ReceiptSigner& receipts() const { return *receipts_; }
  FieldAccess& fields() { return *fields_; }

 private:
  Engine() = default;
  std::unique_ptr<DataMap> map_;
  std::unique_ptr<Vault> vault_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<ConsentLedger> consent_;
  std::unique_ptr<PolicyDocuments> documents_;
  std::unique_ptr<ReceiptSigner> receipts_;
  std::unique_ptr<FieldAccess> fields_;
};

}  // namespace veil::engine
