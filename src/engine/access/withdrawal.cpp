#include "engine/access/withdrawal.hpp"

namespace veil::engine {

Status erase_after_withdrawal(store::Session& s, const DataMap& map, const ConsentLedger& ledger,
                              const std::string& subject, const std::string& purpose) {
  const Purpose* withdrawn = map.purpose(purpose);
  if (!withdrawn) return Error::invalid("purpose_unknown", purpose);
  ConsentState state = VEIL_TRY(ledger.state(s, subject));
  for (const auto& field_id : withdrawn->fields) {
    const Field* field = map.field(field_id);
    bool still_needed = false;
    for (const auto& other : map.purposes()) {
      if (other.id == purpose || !other.uses(field_id)) continue;
      if (!other.needs_consent() || state.has(other.id)) still_needed = true;
    }
    if (still_needed || field->column.empty()) continue;
    const TableDecl* table = map.table(field->table);
    // Rows reached through another table's value are erased with that table's rows instead.
    if (!table || !table->owner || !table->owner->via_table.empty()) continue;
    // Identifiers come from the validated data map, never from a request.
    VEIL_TRY(s.execute("UPDATE " + field->table + " SET " + field->column + " = NULL WHERE " + table->owner->column + " = ?",
                       {store::Value{subject}}));
  }
  return {};
}

}  // namespace veil::engine
