#pragma once
// Append-only, hash-chained audit log (PRIVACY_ENGINE §5): staff access, shares, rights requests,
// consent changes, policy publications, key operations, incidents. Each entry's hash covers its
// fields and the previous hash; sequence numbers are contiguous, so an edit, an insertion or a
// removal breaks the chain at a point `verify` names. Links are keyed (the vault's hash key, which
// never sits in the database in clear), so someone who can write the table still cannot forge a
// chain that verifies.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/vault/vault.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace veil::engine {

struct AuditEntry {
  std::string actor;   // pseudonymous id ("system", an account id, a staff id): never a name or phone
  std::string action;  // e.g. "policy.published", "consent.granted", "vault.shred"
  std::string target;  // pseudonymous id of what was acted on
  nlohmann::json detail = nlohmann::json::object();  // no personal information
};

struct AuditVerdict {
  std::int64_t entries = 0;                 // entries checked
  std::optional<std::int64_t> broken_at;    // first sequence number that does not hold
  std::string reason;                       // why it does not hold
  bool intact() const { return !broken_at.has_value(); }
};

class AuditLog {
 public:
  AuditLog(const Clock& clock, const Vault& vault) : clock_(clock), vault_(vault) {}

  // Appends inside the caller's transaction, so the entry commits or rolls back with the action.
  Result<std::int64_t> append(store::Session& s, const AuditEntry& entry);
  Result<AuditVerdict> verify(store::Session& s) const;

 private:
  std::string link(const nlohmann::json& fields, const std::string& prev) const;
  const Clock& clock_;
  const Vault& vault_;
};

}  // namespace veil::engine
