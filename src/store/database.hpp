#pragma once
// The storage interface every layer above talks to. Two implementations sit beside each other:
// sqlite/ (embedded, the default) and postgres/ (libpq, for several nodes).
//
// SQL is written once, in the common subset both speak: `?` placeholders (the PostgreSQL backend
// numbers them), types BIGINT / TEXT / BLOB (BLOB becomes BYTEA), `INSERT ... ON CONFLICT`, no
// AUTOINCREMENT (ids are made by the application). Schemas are versioned migrations.
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/value.hpp"
#include "util/result.hpp"

namespace veil::store {

// One connection in use, inside or outside a transaction.
class Session {
 public:
  virtual ~Session() = default;
  // Runs a statement; returns the number of rows it changed.
  virtual Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params = {}) = 0;
  virtual Result<std::vector<Row>> query(std::string_view sql, std::span<const Value> params = {}) = 0;
  // Serialises writers of one logical chain (audit log, consent ledger) until the transaction ends.
  // SQLite has a single writer already; PostgreSQL takes a transaction-scoped advisory lock.
  virtual Status lock_chain(std::string_view chain_name) = 0;

  Result<std::int64_t> execute(std::string_view sql, std::initializer_list<Value> params) {
    return execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<std::vector<Row>> query(std::string_view sql, std::initializer_list<Value> params) {
    return query(sql, std::span<const Value>(params.begin(), params.size()));
  }
};

struct Column {
  std::string table;
  std::string name;
  bool operator==(const Column&) const = default;
};

struct Migration {
  int version;       // global order; each layer owns a range (engine 100s, accounts 200s, ...)
  std::string name;  // shown by `veil migrate`
  std::string sql;   // one or more statements separated by ';'
};

enum class Backend { Sqlite, Postgres };

class Database {
 public:
  virtual ~Database() = default;
  virtual Backend backend() const = 0;

  // Runs `body` in one transaction: committed if it returns ok, rolled back otherwise (and on
  // exception), so nothing is ever half-written.
  virtual Status transaction(const std::function<Status(Session&)>& body) = 0;
  // Runs `body` on a connection without opening a transaction (reads, single statements).
  virtual Status with_session(const std::function<Status(Session&)>& body) = 0;

  // Applies every migration whose version is not yet recorded, each in its own transaction.
  virtual Status migrate(std::span<const Migration> migrations) = 0;
  // Every column of every application table (not the backend's own catalog tables).
  virtual Result<std::vector<Column>> columns() = 0;
};

// Helpers that return a value out of a transaction or a session.
template <class T, class F>
Result<T> transact(Database& db, F&& body) {
  std::optional<Result<T>> out;
  Status st = db.transaction([&](Session& s) -> Status {
    out.emplace(body(s));
    if (!out->ok()) return out->error();
    return {};
  });
  if (!st.ok()) return st.take_error();
  return std::move(*out);
}

template <class T, class F>
Result<T> read(Database& db, F&& body) {
  std::optional<Result<T>> out;
  Status st = db.with_session([&](Session& s) -> Status {
    out.emplace(body(s));
    if (!out->ok()) return out->error();
    return {};
  });
  if (!st.ok()) return st.take_error();
  return std::move(*out);
}

}  // namespace veil::store
