#include "store/postgres/postgres_database.hpp"

#include "store/postgres/postgres_connection.hpp"
#include "store/postgres/postgres_dialect.hpp"

namespace veil::store {
namespace {

// BEGIN, body, COMMIT on one connection; ROLLBACK on an error or an exception, as SQLite does.
Status in_transaction(PostgresConnection& connection,
                      const std::function<Status(PostgresConnection&)>& body) {
  VEIL_TRY(connection.execute("BEGIN", {}));
  Status result;
  try {
    result = body(connection);
  } catch (...) {
    (void)connection.execute("ROLLBACK", {});
    throw;
  }
  if (!result.ok()) {
    (void)connection.execute("ROLLBACK", {});
    return result;
  }
  // A body that ignored a failed statement would otherwise "commit": PostgreSQL answers COMMIT
  // of an aborted transaction with a silent ROLLBACK, and every write in it would be lost unseen.
  if (connection.transaction_failed()) {
    (void)connection.execute("ROLLBACK", {});
    return Error::internal("a statement failed inside the transaction; it was rolled back");
  }
  if (auto committed = connection.execute("COMMIT", {}); !committed.ok()) {
    (void)connection.execute("ROLLBACK", {});
    return committed.take_error();
  }
  return {};
}

Error in_migration(const Migration& m, Error e) {
  e.detail = "migration " + std::to_string(m.version) + " (" + m.name + "): " + e.detail;
  return e;
}

}  // namespace

Result<std::unique_ptr<PostgresDatabase>> PostgresDatabase::open(const std::string& conninfo,
                                                                 int pool_size) {
  if (pool_size < 1)
    return Error::invalid("pool_size_invalid", "a pool needs at least one connection");
  std::vector<std::unique_ptr<PostgresConnection>> connections;
  for (int i = 0; i < pool_size; ++i)
    connections.push_back(VEIL_TRY(PostgresConnection::open(conninfo)));
  return std::unique_ptr<PostgresDatabase>(new PostgresDatabase(std::move(connections)));
}

PostgresDatabase::PostgresDatabase(std::vector<std::unique_ptr<PostgresConnection>> connections)
    : idle_connections_(std::move(connections)) {}
PostgresDatabase::~PostgresDatabase() = default;

Status PostgresDatabase::with_connection(const std::function<Status(PostgresConnection&)>& body) {
  std::unique_ptr<PostgresConnection> connection;
  {
    std::unique_lock lock(idle_connections_mutex_);
    connection_returned_.wait(lock, [this] { return !idle_connections_.empty(); });
    connection = std::move(idle_connections_.back());
    idle_connections_.pop_back();
  }
  // Returned on every way out, exceptions included, so the pool never shrinks.
  struct GiveBack {
    PostgresDatabase& pool;
    std::unique_ptr<PostgresConnection>& connection;
    ~GiveBack() { pool.give_back(std::move(connection)); }
  } give_back_on_exit{*this, connection};
  VEIL_TRY(connection->ensure_connected());
  return body(*connection);
}

void PostgresDatabase::give_back(std::unique_ptr<PostgresConnection> connection) {
  connection->end_abandoned_transaction();
  {
    std::lock_guard lock(idle_connections_mutex_);
    idle_connections_.push_back(std::move(connection));
  }
  connection_returned_.notify_one();
}

Status PostgresDatabase::transaction(const std::function<Status(Session&)>& body) {
  return with_connection([&](PostgresConnection& connection) {
    return in_transaction(connection, [&](PostgresConnection& tx) { return body(tx); });
  });
}

Status PostgresDatabase::with_session(const std::function<Status(Session&)>& body) {
  return with_connection([&](PostgresConnection& connection) { return body(connection); });
}

Status PostgresDatabase::migrate(std::span<const Migration> migrations) {
  return with_connection([&](PostgresConnection& connection) -> Status {
    // Several nodes may start at once: the lock makes them migrate one after the other, so none
    // applies a version another is applying.
    VEIL_TRY(in_transaction(connection, [](PostgresConnection& tx) -> Status {
      VEIL_TRY(tx.lock_chain("schema_migrations"));
      return tx.execute_script(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT "
          "NULL)");
    }));
    for (const Migration& m : migrations) {
      Status applied = in_transaction(connection, [&](PostgresConnection& tx) -> Status {
        VEIL_TRY(tx.lock_chain("schema_migrations"));
        auto done = VEIL_TRY(tx.query("SELECT 1 FROM schema_migrations WHERE version = ?",
                                      {Value{std::int64_t{m.version}}}));
        if (!done.empty()) return {};
        VEIL_TRY(tx.execute_script(to_postgres_types(m.sql)));
        VEIL_TRY(tx.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                            {Value{std::int64_t{m.version}}, Value{m.name}}));
        return {};
      });
      if (!applied.ok()) return in_migration(m, applied.take_error());
    }
    return {};
  });
}

Result<std::vector<Column>> PostgresDatabase::columns() {
  return read<std::vector<Column>>(*this, [](Session& s) -> Result<std::vector<Column>> {
    // Base tables only, as SQLite's sqlite_master type = 'table'; `name` sorts bytewise (C).
    auto rows =
        VEIL_TRY(s.query("SELECT c.table_name, c.column_name FROM information_schema.columns c "
                         "JOIN information_schema.tables t "
                         "  ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                         "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
                         "ORDER BY c.table_name, c.ordinal_position",
                         {}));
    std::vector<Column> out;
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back({r.text(0), r.text(1)});
    return out;
  });
}

}  // namespace veil::store
