#include "engine/rights/owned_rows.hpp"

#include <string_view>

namespace veil::engine {

namespace {

// Names from the map go into SQL text: only lower-case letters, digits and underscores pass.
bool plain_identifier(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// A path longer than the tables it could pass through loops.
Result<std::string> condition(const DataMap& map, const TableDecl& table, std::size_t depth) {
  if (!table.owner) return Error::internal("table " + table.name + " has no owner");
  if (depth > map.tables().size()) return Error::internal("the owner path of " + table.name + " loops");
  const OwnerPath& path = *table.owner;
  for (std::string_view name : {std::string_view(table.name), std::string_view(path.column), std::string_view(path.via_table),
                                std::string_view(path.via_column)}) {
    if (!name.empty() && !plain_identifier(name)) return Error::internal("not a plain SQL name in the owner path of " + table.name);
  }
  const std::string column = table.name + "." + path.column;
  if (path.via_table.empty()) return column + " = ?";
  const TableDecl* via = map.table(path.via_table);
  if (via == nullptr) return Error::internal("the owner path of " + table.name + " names an undeclared table");
  std::string inner = VEIL_TRY(condition(map, *via, depth + 1));
  return column + " IN (SELECT " + via->name + "." + path.via_column + " FROM " + via->name + " WHERE " + inner + ")";
}

}  // namespace

Result<std::string> owned_rows_condition(const DataMap& map, const TableDecl& table) { return condition(map, table, 0); }

}  // namespace veil::engine
