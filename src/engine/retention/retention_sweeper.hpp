#pragma once
// The retention sweeper (PRIVACY_ENGINE §7), for what the data map times from a recorded moment
// (`retention_from = "table.column"`, e.g. 30 days after a prize was sent), or from collection
// in a table that names its `collected_at` column (e.g. a chat message 60 days after it was
// written). Periods from collection in a table naming none are not swept here; the data map's
// tests list those tables and why (audit chain, ledger, …). A row whose every
// personal field has run out is deleted; otherwise only the fields that ran out are cleared. Each
// table is swept in its own transaction with an audit entry of the counts, so a sweep is safe to
// interrupt and to run again: what is gone stays gone, and nothing else is touched.
#include <cstdint>
#include <map>
#include <string>

#include "engine/audit/audit_log.hpp"
#include "engine/datamap/data_map.hpp"
#include "store/database.hpp"

namespace veil::engine {

struct SweepReport {
  std::map<std::string, std::int64_t> rows_deleted;    // by table
  std::map<std::string, std::int64_t> fields_cleared;  // by field id
};

Result<SweepReport> sweep_expired(store::Database& db, const DataMap& map, AuditLog& audit, Millis now);

}  // namespace veil::engine
