#pragma once
// An empty database of either backend for one test, so no test sees another's rows: SQLite in a
// file of its own (a real file, so WAL is real), PostgreSQL as a new database in the shared
// throwaway server. Removed when the test ends.
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "store/database.hpp"

namespace veil::test {

class TestDatabase {
 public:
  // Fails with reason PostgresServer::kBinariesMissing when PostgreSQL is not installed.
  static Result<std::unique_ptr<TestDatabase>> create(store::Backend backend, int pool_size = 4);
  ~TestDatabase();

  store::Database& db() { return *db_; }
  store::Backend backend() const { return backend_; }
  // The SQLite file path or the PostgreSQL conninfo, for code that opens its own handle.
  const std::string& location() const { return location_; }
  // Opens a second handle on the same database (another node, or another pool size).
  Result<std::unique_ptr<store::Database>> open_again(int pool_size) const;

 private:
  TestDatabase() = default;
  store::Backend backend_ = store::Backend::Sqlite;
  std::string location_;                 // the SQLite file path or the PostgreSQL conninfo
  std::filesystem::path sqlite_dir_;     // removed in the destructor
  std::unique_ptr<store::Database> db_;  // closed before the directory goes
};

std::string backend_name(store::Backend backend);

}  // namespace veil::test

namespace veil::store {
// GoogleTest finds this by argument-dependent lookup: failures name the backend, not its bytes.
inline void PrintTo(Backend backend, std::ostream* out) { *out << test::backend_name(backend); }
}  // namespace veil::store
