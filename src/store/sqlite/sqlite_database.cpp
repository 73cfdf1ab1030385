#include "store/sqlite/sqlite_database.hpp"

#include "store/sqlite/sqlite_connection.hpp"

namespace veil::store {

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path) {
  auto connection = VEIL_TRY(SqliteConnection::open(path));
  return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(std::move(connection)));
}

SqliteDatabase::SqliteDatabase(std::unique_ptr<SqliteConnection> connection)
    : connection_(std::move(connection)) {}
SqliteDatabase::~SqliteDatabase() = default;

Status SqliteDatabase::transaction(const std::function<Status(Session&)>& body) {
  std::lock_guard lock(connection_mutex_);
  // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on upgrade.
  VEIL_TRY(connection_->execute("BEGIN IMMEDIATE", {}));
  Status result;
  try {
    result = body(*connection_);
  } catch (...) {
    (void)connection_->execute("ROLLBACK", {});
    throw;
  }
  if (!result.ok()) {
    (void)connection_->execute("ROLLBACK", {});
    return result;
  }
  if (auto committed = connection_->execute("COMMIT", {}); !committed.ok()) {
    (void)connection_->execute("ROLLBACK", {});
    return committed.take_error();
  }
  return {};
}

Status SqliteDatabase::with_session(const std::function<Status(Session&)>& body) {
  std::lock_guard lock(connection_mutex_);
  return body(*connection_);
}

Status SqliteDatabase::migrate(std::span<const Migration> migrations) {
  {
    std::lock_guard lock(connection_mutex_);
    VEIL_TRY(connection_->execute_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)"));
  }
  for (const Migration& m : migrations) {
    VEIL_TRY(transaction([&](Session& s) -> Status {
      auto done = VEIL_TRY(s.query("SELECT 1 FROM schema_migrations WHERE version = ?", {Value{std::int64_t{m.version}}}));
      if (!done.empty()) return {};
      VEIL_TRY(connection_->execute_script(m.sql));
      VEIL_TRY(s.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                         {Value{std::int64_t{m.version}}, Value{m.name}}));
      return {};
    }));
  }
  return {};
}

Result<std::vector<Column>> SqliteDatabase::columns() {
  return read<std::vector<Column>>(*this, [](Session& s) -> Result<std::vector<Column>> {
    auto rows = VEIL_TRY(s.query(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
        "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid", {}));
    std::vector<Column> out;
    for (const auto& r : rows) out.push_back({r.text(0), r.text(1)});
    return out;
  });
}

}  // namespace veil::store
