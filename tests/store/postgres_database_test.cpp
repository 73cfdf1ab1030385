// Behaviours only the PostgreSQL backend has: a pool, a network, and transactions that abort as a
// whole when one statement fails. The shared behaviours are in database_test.cpp.
#include "store/postgres/postgres_database.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/postgres_server.hpp"
#include "support/test_database.hpp"

namespace veil::store {
namespace {

class PostgresOnly : public ::testing::Test {
 protected:
  // One pooled connection: every borrower gets the same one, and threads must take turns.
  void SetUp() override {
    auto made = test::TestDatabase::create(Backend::Postgres, /*pool_size=*/1);
    if (!made.ok() && made.error().reason == test::PostgresServer::kBinariesMissing)
      GTEST_SKIP() << "SKIPPED: PostgreSQL binaries not found";
    ASSERT_TRUE(made.ok()) << made.error().detail;
    test_database_ = std::move(*made);
    const Migration people{1, "people", "CREATE TABLE people (id BIGINT PRIMARY KEY, name TEXT)"};
    Status st = db().migrate(std::span(&people, 1));
    ASSERT_TRUE(st.ok()) << st.error().detail;
  }
  Database& db() { return test_database_->db(); }
  test::TestDatabase& test_database() { return *test_database_; }
  std::int64_t count_people() {
    auto rows = read<std::vector<Row>>(
        db(), [](Session& s) { return s.query("SELECT COUNT(*) FROM people", {}); });
    return rows.ok() ? rows->at(0).integer(0) : -1;
  }

 private:
  std::unique_ptr<test::TestDatabase> test_database_;
};

TEST(PostgresOpen, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  auto db =
      PostgresDatabase::open("host=127.0.0.1 port=1 user=veil dbname=veil connect_timeout=2", 1);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::Unavailable);
  EXPECT_EQ(db.error().reason, "storage_unavailable");
}

TEST(PostgresOpen, EmptyPoolIsRefused) {
  auto db = PostgresDatabase::open("host=127.0.0.1 port=1", 0);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::InvalidArgument);
}

TEST_F(PostgresOnly, IgnoredStatementFailureStillFailsTheTransaction) {
  // SQLite would commit person 1 here; PostgreSQL has already aborted the transaction, so the
  // only honest answer is an error, never a silent rollback reported as success.
  Status st = db().transaction([](Session& s) -> Status {
    VEIL_TRY(s.execute("INSERT INTO people (id) VALUES (1)", {}));
    (void)s.execute("INSERT INTO no_such_table (id) VALUES (1)", {});
    return {};
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(count_people(), 0);
}

TEST_F(PostgresOnly, TransactionLeftOpenInASessionIsRolledBackBeforeReuse) {
  Status st = db().with_session([](Session& s) -> Status {
    VEIL_TRY(s.execute("BEGIN", {}));
    VEIL_TRY(s.execute("INSERT INTO people (id) VALUES (1)", {}));
    return {};  // forgot COMMIT
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;
  EXPECT_EQ(count_people(), 0);
  Status next = db().transaction([](Session& s) -> Status {
    VEIL_TRY(s.execute("INSERT INTO people (id) VALUES (2)", {}));
    return {};
  });
  EXPECT_TRUE(next.ok()) << next.error().detail;
  EXPECT_EQ(count_people(), 1);
}

TEST_F(PostgresOnly, PoolOfOneServesManyThreadsInTurn) {
  constexpr int kThreads = 4;
  constexpr int kEach = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        Status st = db().transaction([&](Session& s) -> Status {
          VEIL_TRY(
              s.execute("INSERT INTO people (id) VALUES (?)", {Value{std::int64_t{t * 1000 + i}}}));
          return {};
        });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count_people(), kThreads * kEach);
}

TEST_F(PostgresOnly, DroppedConnectionIsUnavailableThenReopened) {
  auto pid = read<std::vector<Row>>(
      db(), [](Session& s) { return s.query("SELECT pg_backend_pid()", {}); });
  ASSERT_TRUE(pid.ok()) << pid.error().detail;
  // Another node (an administrator, a failover) ends our only pooled connection.
  auto admin = test_database().open_again(1);
  ASSERT_TRUE(admin.ok()) << admin.error().detail;
  Status killed = (*admin)->with_session([&](Session& s) -> Status {
    VEIL_TRY(s.query("SELECT pg_terminate_backend(?::int)", {Value{pid->at(0).integer(0)}}));
    return {};
  });
  ASSERT_TRUE(killed.ok()) << killed.error().detail;

  // The loss is seen on the next statement: a 503 the caller may retry, and the retry works.
  auto lost = read<std::vector<Row>>(db(), [](Session& s) { return s.query("SELECT 1", {}); });
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, ErrorCode::Unavailable);
  EXPECT_EQ(lost.error().reason, "storage_unavailable");
  EXPECT_EQ(count_people(), 0);
}

TEST_F(PostgresOnly, TextWithNulByteIsRefusedNotTruncated) {
  Status st = db().transaction([](Session& s) -> Status {
    VEIL_TRY(s.execute("INSERT INTO people (id, name) VALUES (?, ?)",
                       {Value{std::int64_t{1}}, Value{std::string("ab\0cd", 5)}}));
    return {};
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(count_people(), 0);
}

}  // namespace
}  // namespace veil::store
