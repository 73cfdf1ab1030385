#include "engine/datamap/schema_check.hpp"

#include <algorithm>
#include <set>

namespace veil::engine {

std::vector<std::string> check_schema(const DataMap& map, const std::vector<store::Column>& columns) {
  std::vector<std::string> problems;
  std::set<std::pair<std::string, std::string>> live;
  std::set<std::string> live_tables;
  for (const auto& c : columns) {
    live.insert({c.table, c.name});
    live_tables.insert(c.table);
  }

  std::set<std::pair<std::string, std::string>> declared;
  for (const auto& t : map.tables()) {
    if (!live_tables.count(t.name)) {
      problems.push_back("table " + t.name + " is declared in the data map but does not exist");
      continue;
    }
    if (t.owner) declared.insert({t.name, t.owner->column});
    for (const auto& c : t.nonpersonal) declared.insert({t.name, c});
    if (t.owner && !t.owner->via_table.empty() && !live.count({t.owner->via_table, t.owner->via_column}))
      problems.push_back("table " + t.name + ": owner path names " + t.owner->via_table + "." + t.owner->via_column +
                         ", which does not exist");
  }
  for (const auto& f : map.fields()) {
    if (f.column.empty()) continue;
    declared.insert({f.table, f.column});
    if (live_tables.count(f.table) && !live.count({f.table, f.column}))
      problems.push_back("field " + f.id + ": column " + f.table + "." + f.column + " no longer exists");
  }
  for (const auto& [table, column] : declared) {
    if (live_tables.count(table) && !live.count({table, column}) &&
        std::none_of(map.fields().begin(), map.fields().end(),
                     [&](const Field& f) { return f.table == table && f.column == column; })) {
      problems.push_back("column " + table + "." + column + " is declared but does not exist");
    }
  }
  for (const auto& c : columns) {
    if (!map.table(c.table)) {
      std::string line = "table " + c.table + " is not declared in the data map";
      if (std::find(problems.begin(), problems.end(), line) == problems.end()) problems.push_back(line);
      continue;
    }
    if (!declared.count({c.table, c.name}))
      problems.push_back("column " + c.table + "." + c.name + " is not declared in the data map (as a field or non-personal)");
  }
  return problems;
}

}  // namespace veil::engine
