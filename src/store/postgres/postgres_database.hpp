#pragma once
// The server backend: PostgreSQL through libpq, for several `veil serve` nodes sharing one
// database. A small pool of connections, each lent to one caller at a time: a transaction holds
// its connection from BEGIN to COMMIT, so concurrent transactions run on separate connections.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace veil::store {

class PostgresConnection;

class PostgresDatabase final : public Database {
 public:
  // Opens `pool_size` connections up front, so a wrong conninfo fails here and not on first use.
  static Result<std::unique_ptr<PostgresDatabase>> open(const std::string& conninfo,
                                                        int pool_size = 4);
  ~PostgresDatabase() override;

  Backend backend() const override { return Backend::Postgres; }
  Status transaction(const std::function<Status(Session&)>& body) override;
  Status with_session(const std::function<Status(Session&)>& body) override;
  Status migrate(std::span<const Migration> migrations) override;
  Result<std::vector<Column>> columns() override;

 private:
  explicit PostgresDatabase(std::vector<std::unique_ptr<PostgresConnection>> connections);
  // Borrows a connection (waiting while all are lent), runs `body`, gives it back on every path.
  Status with_connection(const std::function<Status(PostgresConnection&)>& body);
  void give_back(std::unique_ptr<PostgresConnection> connection);

  std::mutex idle_connections_mutex_;
  std::condition_variable connection_returned_;
  std::vector<std::unique_ptr<PostgresConnection>>
      idle_connections_;  // guarded by idle_connections_mutex_
};

}  // namespace veil::store
