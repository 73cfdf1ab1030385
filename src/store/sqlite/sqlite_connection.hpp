#pragma once
// The one RAII wrapper around `sqlite3*` and its prepared statements. No other file calls SQLite.
#include <memory>
#include <string>
#include <unordered_map>

#include "store/database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace veil::store {

class SqliteConnection final : public Session {
 public:
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  using Session::execute;
  using Session::query;
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override;
  Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) override;
  Status lock_chain(std::string_view) override { return {}; }  // one writer: already serial
  Status execute_script(std::string_view sql);                   // several statements, no params

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Result<sqlite3_stmt*> prepare(std::string_view sql, std::span<const Value> params);
  Error error_here(std::string_view what) const;

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;  // cache, finalized in the dtor
};

}  // namespace veil::store
