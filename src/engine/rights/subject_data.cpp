#include "engine/rights/subject_data.hpp"

#include <map>
#include <utility>

#include "engine/rights/owned_rows.hpp"

namespace veil::engine {

namespace {

// A table's columns as the map declares them: its fields in map order, then its non-personal
// columns. The schema test holds the map to the live tables, so this is every column.
std::vector<std::pair<std::string, const Field*>> declared_columns(const DataMap& map, const TableDecl& table) {
  std::vector<std::pair<std::string, const Field*>> columns;
  for (const Field& f : map.fields())
    if (f.table == table.name) columns.emplace_back(f.column, &f);
  for (const std::string& c : table.nonpersonal) columns.emplace_back(c, nullptr);
  return columns;
}

Result<HeldValue> held(store::Session& s, Vault& vault, const std::string& subject, const std::string& column, const Field* field,
                       const store::Value& stored) {
  HeldValue v{column, field, HeldAs::Plain, !std::holds_alternative<store::Null>(stored), std::nullopt};
  if (field != nullptr && field->protection == Protection::BlindIndex) v.held_as = HeldAs::Indexed;
  if (field != nullptr && field->protection == Protection::Hashed) v.held_as = HeldAs::Hashed;
  if (field != nullptr && field->protection == Protection::Encrypted) v.held_as = HeldAs::Sealed;
  if (v.held_as == HeldAs::Indexed || v.held_as == HeldAs::Hashed || !v.stored) return v;
  if (v.held_as == HeldAs::Sealed) {
    // A key already destroyed (the subject's data is being erased) leaves nothing to show, and
    // anything but a sealed blob is not what the map says is there: neither is shown.
    if (const auto* sealed = std::get_if<Bytes>(&stored)) {
      auto opened = vault.unseal(s, subject, field->id, *sealed);
      if (opened.ok()) v.value = std::move(opened).value().reveal();
    }
  } else if (const auto* number = std::get_if<std::int64_t>(&stored)) {
    v.value = std::to_string(*number);
  } else if (const auto* text = std::get_if<std::string>(&stored)) {
    v.value = *text;
  } else {
    v.held_as = HeldAs::Binary;
  }
  return v;
}

}  // namespace

Result<std::vector<HeldCategory>> collect_subject_data(store::Session& s, const DataMap& map, Vault& vault,
                                                       const std::string& subject) {
  std::map<std::string, std::vector<HeldRecord>> by_category;
  for (const TableDecl& table : map.tables()) {
    if (!table.owner) continue;
    const auto columns = declared_columns(map, table);
    if (columns.empty()) continue;
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + table.name + "." + columns[i].first;
    sql += " FROM " + table.name + " WHERE " + VEIL_TRY(owned_rows_condition(map, table));
    for (const store::Row& row : VEIL_TRY(s.query(sql, {store::Value(subject)}))) {
      HeldRecord record{&table, {}};
      for (std::size_t i = 0; i < columns.size(); ++i)
        record.values.push_back(VEIL_TRY(held(s, vault, subject, columns[i].first, columns[i].second, row.at(i))));
      by_category[table.category].push_back(std::move(record));
    }
  }
  std::vector<HeldCategory> out;
  for (const Category& c : map.categories()) {
    auto found = by_category.find(c.id);
    if (found != by_category.end()) out.push_back({&c, std::move(found->second)});
  }
  if (auto uncategorised = by_category.find(""); uncategorised != by_category.end()) out.push_back({nullptr, std::move(uncategorised->second)});
  return out;
}

}  // namespace veil::engine
