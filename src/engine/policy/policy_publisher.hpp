#pragma once
// Records each policy version the first time the server runs with it (and audits the
// publication). A version whose rendered text differs from what was published under the same
// version number is refused: people accepted that exact text.
#include "engine/audit/audit_log.hpp"
#include "engine/policy/policy_documents.hpp"
#include "store/database.hpp"

namespace veil::engine {

Status publish_policy(store::Database& db, const DataMap& map, const PolicyDocuments& documents, AuditLog& audit,
                      const Clock& clock);

}  // namespace veil::engine
