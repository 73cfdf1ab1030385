#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

namespace veil::store {

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(raw));
  if (rc != SQLITE_OK) return Error{ErrorCode::Unavailable, "storage_unavailable", sqlite3_errstr(rc)};
  // WAL for concurrent readers; synchronous=NORMAL is durable across application crashes in WAL.
  // secure_delete overwrites deleted content, so erased PI does not linger in free pages.
  VEIL_TRY(conn->execute_script(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
      "PRAGMA secure_delete=ON; PRAGMA busy_timeout=5000;"));
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Error SqliteConnection::error_here(std::string_view what) const {
  int rc = sqlite3_extended_errcode(db_);
  std::string detail = std::string(what) + ": " + sqlite3_errmsg(db_);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return Error{ErrorCode::Conflict, "conflict", detail};
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return Error{ErrorCode::Unavailable, "storage_busy", detail};
  return Error::internal(detail);
}

Status SqliteConnection::execute_script(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = message ? message : "unknown";
    sqlite3_free(message);
    return Error::internal("sqlite script: " + detail);
  }
  return {};
}

Result<sqlite3_stmt*> SqliteConnection::prepare(std::string_view sql, std::span<const Value> params) {
  std::string key(sql);
  sqlite3_stmt* stmt = nullptr;
  if (auto it = statements_.find(key); it != statements_.end()) {
    stmt = it->second;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  } else {
    if (sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return error_here("prepare");
    }
    statements_.emplace(std::move(key), stmt);
  }
  if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt))
    return Error::internal("parameter count mismatch");
  for (int i = 0; i < static_cast<int>(params.size()); ++i) {
    const Value& v = params[static_cast<std::size_t>(i)];
    int rc = SQLITE_OK;
    if (std::holds_alternative<Null>(v)) {
      rc = sqlite3_bind_null(stmt, i + 1);
    } else if (auto n = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i + 1, *n);
    } else if (auto s = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text64(stmt, i + 1, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      const auto& b = std::get<Bytes>(v);
      // A zero-length blob must still be a blob, not NULL: bind an empty zeroblob.
      rc = b.empty() ? sqlite3_bind_zeroblob(stmt, i + 1, 0)
                     : sqlite3_bind_blob64(stmt, i + 1, b.data(), b.size(), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) return error_here("bind");
  }
  return stmt;
}

Result<std::int64_t> SqliteConnection::execute(std::string_view sql, std::span<const Value> params) {
  sqlite3_stmt* stmt = VEIL_TRY(prepare(sql, params));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    Error e = error_here("execute");
    sqlite3_reset(stmt);
    return e;
  }
  sqlite3_reset(stmt);
  return static_cast<std::int64_t>(sqlite3_changes64(db_));
}

Result<std::vector<Row>> SqliteConnection::query(std::string_view sql, std::span<const Value> params) {
  sqlite3_stmt* stmt = VEIL_TRY(prepare(sql, params));
  std::vector<Row> rows;
  int rc;
  const int width = sqlite3_column_count(stmt);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<Value> cells;
    cells.reserve(static_cast<std::size_t>(width));
    for (int c = 0; c < width; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_NULL: cells.emplace_back(Null{}); break;
        case SQLITE_INTEGER: cells.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c))); break;
        case SQLITE_BLOB: {
          auto p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, c));
          cells.emplace_back(Bytes(p, p + sqlite3_column_bytes(stmt, c)));
          break;
        }
        default: {
          auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          cells.emplace_back(std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
        }
      }
    }
    rows.emplace_back(std::move(cells));
  }
  if (rc != SQLITE_DONE) {
    Error e = error_here("query");
    sqlite3_reset(stmt);
    return e;
  }
  sqlite3_reset(stmt);
  return rows;
}

}  // namespace veil::store
