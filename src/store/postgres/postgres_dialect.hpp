#pragma once
// Turns the common SQL dialect (see store/database.hpp) into PostgreSQL's. Pure text: no libpq.
//
// Both rewrites touch only code: text inside '...' literals, "..." identifiers and -- or /* */
// comments is copied untouched, so a literal '?' or 'blob' stays what it says.
#include <cstddef>
#include <string>
#include <string_view>

namespace veil::store {

struct NumberedSql {
  std::string sql;           // with `$1..$n` in place of each `?`
  std::size_t placeholders;  // n, checked against the parameters before the statement is sent
};

NumberedSql to_postgres_placeholders(std::string_view sql);

// BLOB -> BYTEA for whole words only (a column named `blob_id` keeps its name). Used on
// migration scripts, the only place the common dialect names types.
std::string to_postgres_types(std::string_view sql);

}  // namespace veil::store
