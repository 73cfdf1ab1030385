// The text rewrites from the common dialect to PostgreSQL's; no server needed.
#include "store/postgres/postgres_dialect.hpp"

#include <gtest/gtest.h>

namespace veil::store {
namespace {

TEST(PostgresDialect, NumbersPlaceholdersInOrder) {
  NumberedSql out = to_postgres_placeholders("UPDATE t SET a = ?, b = ? WHERE id = ?");
  EXPECT_EQ(out.sql, "UPDATE t SET a = $1, b = $2 WHERE id = $3");
  EXPECT_EQ(out.placeholders, 3u);
}

TEST(PostgresDialect, LeavesQuestionMarksInLiteralsIdentifiersAndComments) {
  NumberedSql out =
      to_postgres_placeholders("SELECT '?', \"odd?\", ? -- why?\n/* ? */ FROM t WHERE x = ?");
  EXPECT_EQ(out.sql, "SELECT '?', \"odd?\", $1 -- why?\n/* ? */ FROM t WHERE x = $2");
  EXPECT_EQ(out.placeholders, 2u);
}

TEST(PostgresDialect, DoubledQuoteDoesNotEndALiteral) {
  NumberedSql out = to_postgres_placeholders("SELECT 'it''s ?', ?");
  EXPECT_EQ(out.sql, "SELECT 'it''s ?', $1");
  EXPECT_EQ(out.placeholders, 1u);
}

TEST(PostgresDialect, UnterminatedLiteralHidesTheRest) {
  // The server will reject it; what matters is that we do not invent a placeholder count.
  EXPECT_EQ(to_postgres_placeholders("SELECT 'oops ?").placeholders, 0u);
}

TEST(PostgresDialect, BlobBecomesByteaOnlyAsAWholeWord) {
  EXPECT_EQ(to_postgres_types("CREATE TABLE t (blob_id BIGINT, photo BLOB, thumb blob, note TEXT "
                              "DEFAULT 'BLOB', blobs TEXT)"),
            "CREATE TABLE t (blob_id BIGINT, photo BYTEA, thumb BYTEA, note TEXT DEFAULT 'BLOB', "
            "blobs TEXT)");
}

}  // namespace
}  // namespace veil::store
