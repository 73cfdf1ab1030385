#include "store/postgres/postgres_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <limits>

#include "store/postgres/postgres_dialect.hpp"

namespace veil::store {
namespace {

// Built-in type OIDs are fixed by PostgreSQL (catalog/pg_type.dat); the server headers that name
// them are not part of libpq-dev.
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

constexpr int kTextFormat = 0;
constexpr int kBinaryFormat = 1;

// Lock keys live in the two-int4 key space under our own namespace, apart from the one-bigint
// key space other software sharing the database may use.
constexpr std::string_view kLockChainSql =
    "SELECT pg_advisory_xact_lock(hashtext('veil.chain'), hashtext(?))";

Error unavailable(std::string detail) {
  return Error{ErrorCode::Unavailable, "storage_unavailable", std::move(detail)};
}

// The statement's parameters in the three parallel arrays PQexecParams takes.
struct BoundParams {
  std::vector<std::string> texts;  // owns the text form of integers and strings
  std::vector<Oid> types;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
};

Result<BoundParams> bind(std::span<const Value> params) {
  BoundParams bound;
  // No reallocation, and moving the vector keeps its strings in place: `values` points into them.
  bound.texts.reserve(params.size());
  for (const Value& v : params) {
    Oid type = 0;  // 0: let the server infer the type from the statement, as SQLite's affinity does
    const char* value = nullptr;
    int length = 0;
    int format = kTextFormat;
    if (auto n = std::get_if<std::int64_t>(&v)) {
      // Typed, so `? + 1` or `SELECT ?` stays a 64-bit integer instead of being guessed as int4.
      type = kInt8Oid;
      value = bound.texts.emplace_back(std::to_string(*n)).c_str();
    } else if (auto s = std::get_if<std::string>(&v)) {
      // Text parameters travel NUL-terminated; PostgreSQL text cannot hold NUL anyway.
      if (s->find('\0') != std::string::npos)
        return Error::invalid("text_contains_nul",
                              "a text parameter contains a NUL byte; use a blob");
      value = bound.texts.emplace_back(*s).c_str();
    } else if (auto b = std::get_if<Bytes>(&v)) {
      if (b->size() > std::numeric_limits<int>::max())
        return Error::invalid("blob_too_large", "a blob parameter exceeds 2 GiB");
      type = kByteaOid;
      format = kBinaryFormat;
      // A non-null pointer even for an empty blob: a null pointer would send SQL NULL.
      value = b->empty() ? "" : reinterpret_cast<const char*>(b->data());
      length = static_cast<int>(b->size());
    }
    bound.types.push_back(type);
    bound.values.push_back(value);
    bound.lengths.push_back(length);
    bound.formats.push_back(format);
  }
  return bound;
}

Result<Value> decode(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return Value{Null{}};
  const char* text = PQgetvalue(result, row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(result, row, column));
  switch (PQftype(result, column)) {
    case kInt8Oid:
    case kInt4Oid:
    case kInt2Oid: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(text, text + length, n);
      if (ec != std::errc() || end != text + length)
        return Error::internal("unreadable integer column");
      return Value{n};
    }
    case kByteaOid: {
      std::size_t size = 0;
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      if (raw == nullptr) return Error::internal("unreadable bytea column");
      Bytes bytes(raw, raw + size);
      PQfreemem(raw);
      return Value{std::move(bytes)};
    }
    default:
      return Value{std::string(text, length)};
  }
}

// libpq prints NOTICEs ("relation already exists, skipping") to stderr by default; the storage
// layer has no log of its own and errors already come back as values.
void ignore_notice(void*, const char*) {}

}  // namespace

void PostgresConnection::ResultDeleter::operator()(pg_result* result) const { PQclear(result); }

Result<std::unique_ptr<PostgresConnection>> PostgresConnection::open(const std::string& conninfo) {
  // `dbname` is expanded as a full connection string; the keywords after it override it: our
  // text is UTF-8 whatever the client's locale says.
  const char* keywords[] = {"dbname", "client_encoding", "fallback_application_name", nullptr};
  const char* values[] = {conninfo.c_str(), "UTF8", "veil", nullptr};
  std::unique_ptr<PostgresConnection> connection(
      new PostgresConnection(PQconnectdbParams(keywords, values, /*expand_dbname=*/1)));
  if (connection->connection_ == nullptr)
    return unavailable("libpq could not allocate a connection");
  if (PQstatus(connection->connection_) != CONNECTION_OK)
    return unavailable(std::string("connect: ") + PQerrorMessage(connection->connection_));
  PQsetNoticeProcessor(connection->connection_, ignore_notice, nullptr);
  return connection;
}

PostgresConnection::~PostgresConnection() { PQfinish(connection_); }

Error PostgresConnection::error_from(const pg_result* result, std::string_view what) const {
  if (result == nullptr || PQstatus(connection_) == CONNECTION_BAD)
    return unavailable(std::string(what) + ": " + PQerrorMessage(connection_));
  const char* field = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string state = field ? field : "";
  const std::string category = state.substr(0, 2);
  // Only the code and the primary message: the DETAIL field quotes row values
  // ("Key (phone)=(...) already exists"), and data exceptions (class 22) quote the offending
  // input even in the primary message. Either may be personal information.
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string detail = std::string(what) + ": SQLSTATE " + state;
  if (category != "22" && primary != nullptr) detail += std::string(" ") + primary;

  if (category == "23")
    return Error{ErrorCode::Conflict, "conflict", detail};  // unique, FK, not null, check
  if (category == "08" || state == "57P01" || state == "57P02" || state == "57P03")
    return unavailable(detail);  // connection lost, server shutting down or starting
  // Deadlock, serialization failure, lock timeout: the same request may succeed if retried.
  if (state == "40001" || state == "40P01" || state == "55P03")
    return Error{ErrorCode::Unavailable, "storage_busy", detail};
  return Error::internal(detail);
}

Result<PostgresConnection::ResultPtr> PostgresConnection::run(std::string_view sql,
                                                              std::span<const Value> params) {
  NumberedSql numbered = to_postgres_placeholders(sql);
  if (numbered.placeholders != params.size()) return Error::internal("parameter count mismatch");
  BoundParams bound = VEIL_TRY(bind(params));
  ResultPtr result(PQexecParams(connection_, numbered.sql.c_str(), static_cast<int>(params.size()),
                                bound.types.data(), bound.values.data(), bound.lengths.data(),
                                bound.formats.data(), kTextFormat));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return error_from(result.get(), "execute");
  return result;
}

Result<std::int64_t> PostgresConnection::execute(std::string_view sql,
                                                 std::span<const Value> params) {
  ResultPtr result = VEIL_TRY(run(sql, params));
  // PQcmdTuples counts the rows a SELECT returned, which it did not change; it is empty for
  // statements that change no rows by nature (BEGIN, CREATE TABLE).
  if (std::string_view(PQcmdStatus(result.get())).starts_with("SELECT")) return std::int64_t{0};
  std::string_view changed = PQcmdTuples(result.get());
  std::int64_t n = 0;
  std::from_chars(changed.data(), changed.data() + changed.size(), n);
  return n;
}

Result<std::vector<Row>> PostgresConnection::query(std::string_view sql,
                                                   std::span<const Value> params) {
  ResultPtr result = VEIL_TRY(run(sql, params));
  const int height = PQntuples(result.get());
  const int width = PQnfields(result.get());
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(height));
  for (int r = 0; r < height; ++r) {
    std::vector<Value> cells;
    cells.reserve(static_cast<std::size_t>(width));
    for (int c = 0; c < width; ++c) cells.push_back(VEIL_TRY(decode(result.get(), r, c)));
    rows.emplace_back(std::move(cells));
  }
  return rows;
}

Status PostgresConnection::lock_chain(std::string_view chain_name) {
  VEIL_TRY(execute(kLockChainSql, {Value{std::string(chain_name)}}));
  return {};
}

Status PostgresConnection::execute_script(std::string_view sql) {
  // PQexec (the simple protocol) is the one call that accepts several statements in one string.
  ResultPtr result(PQexec(connection_, std::string(sql).c_str()));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    return error_from(result.get(), "script");
  return {};
}

bool PostgresConnection::transaction_failed() const {
  return PQtransactionStatus(connection_) == PQTRANS_INERROR;
}

void PostgresConnection::end_abandoned_transaction() {
  const PGTransactionStatusType state = PQtransactionStatus(connection_);
  if (state == PQTRANS_INTRANS || state == PQTRANS_INERROR)
    ResultPtr(PQexec(connection_, "ROLLBACK"));
}

Status PostgresConnection::ensure_connected() {
  if (PQstatus(connection_) == CONNECTION_OK) return {};
  PQreset(connection_);
  if (PQstatus(connection_) != CONNECTION_OK)
    return unavailable(std::string("reconnect: ") + PQerrorMessage(connection_));
  return {};
}

}  // namespace veil::store
