// The storage suite: every behaviour the layers above rely on, run against both backends.
#include "store/database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <climits>
#include <stdexcept>
#include <thread>

#include "support/postgres_server.hpp"
#include "support/test_database.hpp"

namespace veil::store {
namespace {

using test::TestDatabase;

class Storage : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto made = TestDatabase::create(GetParam());
    if (!made.ok() && made.error().reason == test::PostgresServer::kBinariesMissing)
      GTEST_SKIP() << "SKIPPED: PostgreSQL binaries not found";
    ASSERT_TRUE(made.ok()) << made.error().detail;
    test_database_ = std::move(*made);
  }

  Database& db() { return test_database_->db(); }

  // The tables a test needs, created the way the application creates them: as a migration.
  void create_tables(std::string sql) {
    const Migration migration{1, "test tables", std::move(sql)};
    Status st = db().migrate(std::span(&migration, 1));
    ASSERT_TRUE(st.ok()) << st.error().detail;
  }

  std::int64_t count(const std::string& table) {
    auto rows = read<std::vector<Row>>(
        db(), [&](Session& s) { return s.query("SELECT COUNT(*) FROM " + table, {}); });
    EXPECT_TRUE(rows.ok()) << rows.error().detail;
    return rows.ok() ? rows->at(0).integer(0) : -1;
  }

  Status insert_person(Session& s, std::int64_t id) {
    VEIL_TRY(s.execute("INSERT INTO people (id) VALUES (?)", {Value{id}}));
    return {};
  }

 private:
  std::unique_ptr<TestDatabase> test_database_;
};

TEST_P(Storage, ValuesRoundTripExactly) {
  create_tables("CREATE TABLE vals (id BIGINT PRIMARY KEY, n BIGINT, t TEXT, b BLOB)");
  const std::vector<std::vector<Value>> written = {
      {std::int64_t{1}, Null{}, Null{}, Null{}},
      // Empty text and an empty blob are values, not NULL.
      {std::int64_t{2}, std::int64_t{INT64_MIN}, std::string(), Bytes{}},
      // Quotes, backslashes, SQL metacharacters and multi-byte UTF-8 must not be interpreted.
      {std::int64_t{3}, std::int64_t{-1}, std::string("引号 ' \" \\ ? $1 -- /* 🙂\n\t\\x00"),
       Bytes{0x00, 0xff, 0x00, '\'', '\\', 0x00}},
      {std::int64_t{4}, std::int64_t{INT64_MAX}, std::string("x"), Bytes{0x00}},
  };
  Status st = db().transaction([&](Session& s) -> Status {
    for (const auto& row : written)
      VEIL_TRY(s.execute("INSERT INTO vals (id, n, t, b) VALUES (?, ?, ?, ?)", std::span(row)));
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;

  auto rows = read<std::vector<Row>>(
      db(), [](Session& s) { return s.query("SELECT id, n, t, b FROM vals ORDER BY id", {}); });
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  ASSERT_EQ(rows->size(), written.size());
  for (std::size_t r = 0; r < written.size(); ++r)
    for (std::size_t c = 0; c < written[r].size(); ++c)
      EXPECT_EQ(rows->at(r).at(c), written[r][c]) << "row " << r << " column " << c;
}

TEST_P(Storage, PlaceholderCountMismatchIsAnError) {
  Status st = db().with_session([](Session& s) -> Status {
    EXPECT_FALSE(s.query("SELECT ?", {Value{std::int64_t{1}}, Value{std::int64_t{2}}}).ok());
    EXPECT_FALSE(s.query("SELECT ?, ?", {Value{std::int64_t{1}}}).ok());
    EXPECT_FALSE(s.execute("SELECT ?", {}).ok());
    return {};
  });
  EXPECT_TRUE(st.ok());
}

TEST_P(Storage, QuestionMarkInsideALiteralIsNotAPlaceholder) {
  auto rows = read<std::vector<Row>>(db(), [](Session& s) {
    return s.query("SELECT 'why?', 'it''s ?', ?", {Value{std::string("answer")}});
  });
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  EXPECT_EQ(rows->at(0).text(0), "why?");
  EXPECT_EQ(rows->at(0).text(1), "it's ?");
  EXPECT_EQ(rows->at(0).text(2), "answer");
}

TEST_P(Storage, TransactionCommitsWhenBodySucceeds) {
  create_tables("CREATE TABLE people (id BIGINT PRIMARY KEY)");
  Status st = db().transaction([&](Session& s) -> Status {
    VEIL_TRY(insert_person(s, 1));
    return insert_person(s, 2);
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;
  EXPECT_EQ(count("people"), 2);
}

TEST_P(Storage, TransactionRollsBackEverythingWhenBodyFails) {
  create_tables("CREATE TABLE people (id BIGINT PRIMARY KEY)");
  Status st = db().transaction([&](Session& s) -> Status {
    VEIL_TRY(insert_person(s, 1));
    VEIL_TRY(insert_person(s, 2));
    return Error::invalid("changed_mind");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().reason, "changed_mind");  // the body's own error comes back unchanged
  EXPECT_EQ(count("people"), 0);
}

TEST_P(Storage, TransactionRollsBackOnExceptionAndRethrows) {
  create_tables("CREATE TABLE people (id BIGINT PRIMARY KEY)");
  EXPECT_THROW((void)db().transaction([&](Session& s) -> Status {
    VEIL_TRY(insert_person(s, 1));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(count("people"), 0);
  // The connection went back clean: the next transaction works.
  Status again = db().transaction([&](Session& s) { return insert_person(s, 2); });
  EXPECT_TRUE(again.ok()) << again.error().detail;
  EXPECT_EQ(count("people"), 1);
}

TEST_P(Storage, UniqueViolationIsAConflictAndUndoesTheTransaction) {
  create_tables("CREATE TABLE people (id BIGINT PRIMARY KEY)");
  ASSERT_TRUE(db().transaction([&](Session& s) { return insert_person(s, 1); }).ok());
  Status st = db().transaction([&](Session& s) -> Status {
    VEIL_TRY(insert_person(s, 2));
    return insert_person(s, 1);
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::Conflict);
  EXPECT_EQ(st.error().reason, "conflict");
  EXPECT_EQ(count("people"), 1);  // person 2 was not half-written
}

TEST_P(Storage, ForeignKeyViolationIsAConflict) {
  create_tables(
      "CREATE TABLE people (id BIGINT PRIMARY KEY);"
      "CREATE TABLE pets (id BIGINT PRIMARY KEY, owner BIGINT NOT NULL REFERENCES people (id))");
  Status st = db().transaction([](Session& s) -> Status {
    VEIL_TRY(s.execute("INSERT INTO pets (id, owner) VALUES (?, ?)",
                       {Value{std::int64_t{1}}, Value{std::int64_t{42}}}));
    return {};
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::Conflict);
  EXPECT_EQ(st.error().reason, "conflict");
}

std::vector<std::pair<std::int64_t, std::string>> recorded_versions(Database& db) {
  auto rows = read<std::vector<Row>>(db, [](Session& s) {
    return s.query("SELECT version, name FROM schema_migrations ORDER BY version", {});
  });
  EXPECT_TRUE(rows.ok()) << rows.error().detail;
  std::vector<std::pair<std::int64_t, std::string>> out;
  if (rows.ok())
    for (const auto& r : *rows) out.emplace_back(r.integer(0), r.text(1));
  return out;
}

TEST_P(Storage, MigrateIsIdempotentAndAppliesOnlyNewVersions) {
  // Plain CREATE TABLE and an INSERT: running any of these twice would fail or double the row.
  std::vector<Migration> migrations = {
      {101, "people", "CREATE TABLE people (id BIGINT PRIMARY KEY)"},
      {102, "seed", "INSERT INTO people (id) VALUES (1)"},
  };
  ASSERT_TRUE(db().migrate(migrations).ok());
  Status again = db().migrate(migrations);
  ASSERT_TRUE(again.ok()) << again.error().detail;

  migrations.push_back(
      {201, "pets",
       "CREATE TABLE pets (id BIGINT PRIMARY KEY); INSERT INTO people (id) VALUES (2)"});
  Status more = db().migrate(migrations);
  ASSERT_TRUE(more.ok()) << more.error().detail;

  using V = std::vector<std::pair<std::int64_t, std::string>>;
  EXPECT_EQ(recorded_versions(db()), (V{{101, "people"}, {102, "seed"}, {201, "pets"}}));
  EXPECT_EQ(count("people"), 2);
  EXPECT_EQ(count("pets"), 0);
}

TEST_P(Storage, FailedMigrationLeavesNoTrace) {
  std::vector<Migration> migrations = {
      {101, "good", "CREATE TABLE good (id BIGINT)"},
      {102, "bad", "CREATE TABLE half (id BIGINT); INSERT INTO no_such_table (id) VALUES (1)"},
  };
  Status st = db().migrate(migrations);
  ASSERT_FALSE(st.ok());

  using V = std::vector<std::pair<std::int64_t, std::string>>;
  EXPECT_EQ(recorded_versions(db()), (V{{101, "good"}}));
  auto columns = db().columns();
  ASSERT_TRUE(columns.ok()) << columns.error().detail;
  for (const Column& c : *columns)
    EXPECT_NE(c.table, "half") << "the failed migration's table survived";

  // Fixed, the same version applies on the next run.
  migrations[1].sql = "CREATE TABLE half (id BIGINT)";
  Status fixed = db().migrate(migrations);
  ASSERT_TRUE(fixed.ok()) << fixed.error().detail;
  EXPECT_EQ(recorded_versions(db()), (V{{101, "good"}, {102, "bad"}}));
}

TEST_P(Storage, ColumnsListsEveryTableColumnInOrder) {
  create_tables(
      "CREATE TABLE people (id BIGINT PRIMARY KEY, name TEXT NOT NULL, photo BLOB);"
      "CREATE TABLE audit_log (seq BIGINT PRIMARY KEY, hash BLOB NOT NULL);"
      "CREATE VIEW people_names AS SELECT name FROM people");  // a view is not a table
  auto columns = db().columns();
  ASSERT_TRUE(columns.ok()) << columns.error().detail;
  const std::vector<Column> expected = {
      {"audit_log", "seq"},
      {"audit_log", "hash"},
      {"people", "id"},
      {"people", "name"},
      {"people", "photo"},
      {"schema_migrations", "version"},
      {"schema_migrations", "name"},
  };
  EXPECT_EQ(*columns, expected);
}

TEST_P(Storage, OnConflictUpsertUpdatesOrKeepsTheExistingRow) {
  create_tables("CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL)");
  auto upsert = [&](std::int64_t v) {
    return transact<std::int64_t>(db(), [&](Session& s) {
      return s.execute(
          "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
          {Value{std::string("a")}, Value{v}});
    });
  };
  auto first = upsert(1);
  auto second = upsert(2);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, 1);
  EXPECT_EQ(*second, 1);
  auto ignored = transact<std::int64_t>(db(), [](Session& s) {
    return s.execute("INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING",
                     {Value{std::string("a")}, Value{std::int64_t{3}}});
  });
  ASSERT_TRUE(ignored.ok()) << ignored.error().detail;
  EXPECT_EQ(*ignored, 0);

  auto rows =
      read<std::vector<Row>>(db(), [](Session& s) { return s.query("SELECT k, v FROM kv", {}); });
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).integer(1), 2);
}

TEST_P(Storage, LockChainSerialisesConcurrentReadThenWrite) {
  create_tables(
      "CREATE TABLE counter (name TEXT PRIMARY KEY, n BIGINT NOT NULL); INSERT INTO counter VALUES "
      "('c', 0)");
  // More threads than pooled connections (4), so some also wait for a connection.
  constexpr int kThreads = 8;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        Status st = db().transaction([](Session& s) -> Status {
          VEIL_TRY(s.lock_chain("counter"));
          auto rows = VEIL_TRY(s.query("SELECT n FROM counter WHERE name = 'c'", {}));
          const std::int64_t seen = rows.at(0).integer(0);
          std::this_thread::yield();  // widen the window a missing lock would lose updates in
          VEIL_TRY(s.execute("UPDATE counter SET n = ? WHERE name = 'c'", {Value{seen + 1}}));
          return {};
        });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto rows =
      read<std::vector<Row>>(db(), [](Session& s) { return s.query("SELECT n FROM counter", {}); });
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->at(0).integer(0), kThreads * kIncrements);
}

TEST_P(Storage, ExecuteReturnsTheNumberOfChangedRows) {
  create_tables("CREATE TABLE items (id BIGINT PRIMARY KEY, tag TEXT NOT NULL)");
  Status st = db().transaction([](Session& s) -> Status {
    auto changed = [&](std::string_view sql, std::initializer_list<Value> params) -> std::int64_t {
      auto n = s.execute(sql, params);
      EXPECT_TRUE(n.ok()) << sql << ": " << n.error().detail;
      return n.ok() ? *n : -1;
    };
    const Value b{std::string("b")};
    EXPECT_EQ(changed("INSERT INTO items (id, tag) VALUES (1, 'a')", {}), 1);
    EXPECT_EQ(changed("INSERT INTO items (id, tag) VALUES (2, ?), (3, ?), (4, ?)", {b, b, b}), 3);
    EXPECT_EQ(changed("UPDATE items SET tag = ? WHERE tag = ?", {Value{std::string("c")}, b}), 3);
    EXPECT_EQ(changed("UPDATE items SET tag = 'z' WHERE id = ?", {Value{std::int64_t{999}}}), 0);
    EXPECT_EQ(changed("DELETE FROM items WHERE id <> ?", {Value{std::int64_t{1}}}), 3);
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;
}

TEST_P(Storage, AggregatesReadBackAsIntegers) {
  // PostgreSQL's SUM over BIGINT is NUMERIC, which arrives as text: integer() must still read it.
  create_tables("CREATE TABLE n (v BIGINT NOT NULL); INSERT INTO n VALUES (40), (2)");
  auto rows = read<std::vector<Row>>(db(), [](Session& s) {
    return s.query("SELECT COUNT(*), SUM(v), MAX(v), COALESCE(MAX(v) + 1, 0), 7 FROM n", {});
  });
  ASSERT_TRUE(rows.ok()) << rows.error().detail;
  const Row& r = rows->at(0);
  EXPECT_EQ(r.integer(0), 2);
  EXPECT_EQ(r.integer(1), 42);
  EXPECT_EQ(r.integer(2), 40);
  EXPECT_EQ(r.integer(3), 41);
  EXPECT_EQ(r.integer(4), 7);
}

INSTANTIATE_TEST_SUITE_P(Backends, Storage, ::testing::Values(Backend::Sqlite, Backend::Postgres),
                         [](const ::testing::TestParamInfo<Backend>& backend) {
                           return test::backend_name(backend.param);
                         });

}  // namespace
}  // namespace veil::store
