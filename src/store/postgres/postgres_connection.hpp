#pragma once
// The one RAII wrapper around libpq's `PGconn*` and `PGresult*`. No other file calls libpq.
//
// Statements arrive in the common dialect and are numbered here (`?` -> `$n`). Parameters go as
// text, except blobs, which go as binary so any byte survives; results come back as text and
// BYTEA is unescaped, so a column's type, not the transfer format, decides the Value it becomes.
#include <memory>
#include <string>

#include "store/database.hpp"

struct pg_conn;
struct pg_result;

namespace veil::store {

class PostgresConnection final : public Session {
 public:
  // `conninfo` is a libpq connection string ("host=... port=... dbname=..." or a postgresql://
  // URI).
  static Result<std::unique_ptr<PostgresConnection>> open(const std::string& conninfo);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  using Session::execute;
  using Session::query;
  Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params) override;
  Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params) override;
  // A transaction-scoped advisory lock: released by COMMIT or ROLLBACK, never leaked.
  Status lock_chain(std::string_view chain_name) override;
  Status execute_script(std::string_view sql);  // several statements, no parameters

  // PostgreSQL aborts the whole transaction when one statement fails (SQLite undoes only that
  // statement); true while this connection sits in such an aborted transaction.
  bool transaction_failed() const;
  // Ends whatever transaction a borrower left open, so the next borrower starts clean.
  void end_abandoned_transaction();
  // Reconnects if the server dropped the connection (restart, failover); ok once it is usable.
  Status ensure_connected();

 private:
  struct ResultDeleter {
    void operator()(pg_result* result) const;
  };
  using ResultPtr = std::unique_ptr<pg_result, ResultDeleter>;

  explicit PostgresConnection(pg_conn* connection) : connection_(connection) {}
  Result<ResultPtr> run(std::string_view sql, std::span<const Value> params);
  Error error_from(const pg_result* result, std::string_view what) const;

  pg_conn* connection_;
};

}  // namespace veil::store
