#pragma once
// The values that cross the storage boundary: NULL, 64-bit integers, text and blobs. Both
// backends map exactly these (SQLite INTEGER/TEXT/BLOB, PostgreSQL BIGINT/TEXT/BYTEA).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "util/encoding.hpp"

namespace veil::store {

struct Null {
  bool operator==(const Null&) const = default;
};
using Value = std::variant<Null, std::int64_t, std::string, Bytes>;

class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}
  std::size_t size() const { return cells_.size(); }
  bool is_null(std::size_t i) const { return std::holds_alternative<Null>(cells_.at(i)); }
  // Accessors are lenient about NULL (0, "", {}) so callers that allow NULL can check is_null().
  std::int64_t integer(std::size_t i) const;
  std::string text(std::size_t i) const;
  Bytes blob(std::size_t i) const;
  const Value& at(std::size_t i) const { return cells_.at(i); }

 private:
  std::vector<Value> cells_;
};

}  // namespace veil::store
