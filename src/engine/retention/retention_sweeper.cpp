#include "engine/retention/retention_sweeper.hpp"

#include <vector>

namespace veil::engine {

namespace {

struct Timed {
  const Field* field;
  std::string from_column;
};

// The fields of `table` whose retention runs from one of its own columns: the one it names, or
// for a period counted from collection, the table's `collected_at`.
std::vector<Timed> timed_fields(const DataMap& map, const TableDecl& table) {
  std::vector<Timed> out;
  for (const auto& f : map.fields()) {
    if (f.table != table.name || f.retention.until_cancellation || f.retention.duration <= 0) continue;
    if (f.retention.from == "collected") {
      if (!table.collected_at.empty()) out.push_back({&f, table.collected_at});
      continue;
    }
    auto dot = f.retention.from.find('.');
    if (dot == std::string::npos || f.retention.from.substr(0, dot) != table.name) continue;
    out.push_back({&f, f.retention.from.substr(dot + 1)});
  }
  return out;
}

std::size_t personal_fields(const DataMap& map, const std::string& table) {
  std::size_t n = 0;
  for (const auto& f : map.fields()) n += f.table == table ? 1 : 0;
  return n;
}

}  // namespace

Result<SweepReport> sweep_expired(store::Database& db, const DataMap& map, AuditLog& audit, Millis now) {
  SweepReport report;
  for (const auto& table : map.tables()) {
    std::vector<Timed> timed = timed_fields(map, table);
    if (timed.empty()) continue;
    // Names below come from the validated data map, never from input.
    bool whole_row = timed.size() == personal_fields(map, table.name);
    for (const auto& t : timed)
      whole_row = whole_row && t.from_column == timed[0].from_column && t.field->retention.duration == timed[0].field->retention.duration;
    VEIL_TRY(db.transaction([&](store::Session& s) -> Status {
      nlohmann::json detail = nlohmann::json::object();
      if (whole_row) {
        Millis cutoff = now - timed[0].field->retention.duration;
        std::int64_t n = VEIL_TRY(s.execute("DELETE FROM " + table.name + " WHERE " + timed[0].from_column + " IS NOT NULL AND " +
                                                timed[0].from_column + " <= ?",
                                            {store::Value{cutoff}}));
        if (n > 0) report.rows_deleted[table.name] += n;
        detail["rows_deleted"] = n;
      } else {
        for (const auto& t : timed) {
          Millis cutoff = now - t.field->retention.duration;
          std::int64_t n = VEIL_TRY(s.execute("UPDATE " + table.name + " SET " + t.field->column + " = NULL WHERE " + t.field->column +
                                                  " IS NOT NULL AND " + t.from_column + " IS NOT NULL AND " + t.from_column + " <= ?",
                                              {store::Value{cutoff}}));
          if (n > 0) report.fields_cleared[t.field->id] += n;
          detail[t.field->id] = n;
        }
      }
      bool any = false;
      for (const auto& [key, value] : detail.items()) any = any || value.get<std::int64_t>() > 0;
      if (any) VEIL_TRY(audit.append(s, {"system", "retention.swept", table.name, detail}));
      return {};
    }));
  }
  return report;
}

}  // namespace veil::engine
