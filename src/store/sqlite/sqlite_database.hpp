#pragma once
// The embedded backend: one SQLite file in WAL mode. One connection, guarded by `connection_mutex_`:
// SQLite has a single writer anyway, and statements are cached so a read costs microseconds.
#include <filesystem>
#include <memory>
#include <mutex>

#include "store/database.hpp"

namespace veil::store {

class SqliteConnection;

class SqliteDatabase final : public Database {
 public:
  // Opens (creating if needed) the database file. ":memory:" opens a private in-memory database.
  static Result<std::unique_ptr<SqliteDatabase>> open(const std::string& path);
  ~SqliteDatabase() override;

  Backend backend() const override { return Backend::Sqlite; }
  Status transaction(const std::function<Status(Session&)>& body) override;
  Status with_session(const std::function<Status(Session&)>& body) override;
  Status migrate(std::span<const Migration> migrations) override;
  Result<std::vector<Column>> columns() override;

 private:
  explicit SqliteDatabase(std::unique_ptr<SqliteConnection> connection);
  std::mutex connection_mutex_;
  std::unique_ptr<SqliteConnection> connection_;  // guarded by connection_mutex_
};

}  // namespace veil::store
