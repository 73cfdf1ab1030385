#include "support/test_database.hpp"

#include <stdlib.h>

#include <atomic>

#include "store/postgres/postgres_database.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "support/postgres_server.hpp"

namespace veil::test {

std::string backend_name(store::Backend backend) {
  return backend == store::Backend::Sqlite ? "Sqlite" : "Postgres";
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::create(store::Backend backend, int pool_size) {
  std::unique_ptr<TestDatabase> test(new TestDatabase());
  test->backend_ = backend;
  if (backend == store::Backend::Sqlite) {
    std::string dir = (std::filesystem::temp_directory_path() / "veil-sqlite-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) return Error::internal("mkdtemp failed");
    test->sqlite_dir_ = dir;
    test->location_ = (test->sqlite_dir_ / "veil.db").string();
  } else {
    const auto& server = PostgresServer::shared();
    if (!server.ok()) return server.error();
    // A database per test, not a schema reset: nothing (extensions, sequences, locks) carries over.
    // Never dropped: the whole cluster is deleted when the test binary exits.
    static std::atomic<int> next_database{0};
    const std::string name = "veil_test_" + std::to_string(next_database++);
    auto admin = VEIL_TRY(store::PostgresDatabase::open((*server)->conninfo("veil"), 1));
    VEIL_TRY(admin->with_session([&](store::Session& s) -> Status {
      VEIL_TRY(s.execute("CREATE DATABASE " + name, {}));
      return {};
    }));
    test->location_ = (*server)->conninfo(name);
  }
  test->db_ = VEIL_TRY(test->open_again(pool_size));
  return test;
}

Result<std::unique_ptr<store::Database>> TestDatabase::open_again(int pool_size) const {
  if (backend_ == store::Backend::Sqlite) {
    auto db = VEIL_TRY(store::SqliteDatabase::open(location_));
    return std::unique_ptr<store::Database>(std::move(db));
  }
  auto db = VEIL_TRY(store::PostgresDatabase::open(location_, pool_size));
  return std::unique_ptr<store::Database>(std::move(db));
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (!sqlite_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(sqlite_dir_, ec);
  }
}

}  // namespace veil::test
