// G1: every column of every table is declared in the data map, and every declared field exists.
#include <gtest/gtest.h>

#include "app/api_server.hpp"
#include "engine/datamap/schema_check.hpp"

namespace veil::test {
namespace {

class SchemaDeclared : public ::testing::TestWithParam<store::Backend> {};

TEST_P(SchemaDeclared, EveryColumnIsDeclaredInTheDataMap) {
  VEIL_START_API_SERVER(api, GetParam());
  auto columns = api.platform().db().columns();
  ASSERT_TRUE(columns.ok());
  auto problems = engine::check_schema(api.platform().engine().map(), *columns);
  for (const auto& p : problems) ADD_FAILURE() << p;
}

TEST_P(SchemaDeclared, AColumnAddedWithoutADeclarationIsCaught) {
  VEIL_START_API_SERVER(api, GetParam());
  auto added = api.platform().db().with_session([](store::Session& s) -> Status {
    VEIL_TRY(s.execute("ALTER TABLE profiles ADD COLUMN wechat_id TEXT", {}));
    return {};
  });
  ASSERT_TRUE(added.ok());
  auto problems = engine::check_schema(api.platform().engine().map(), *api.platform().db().columns());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("profiles.wechat_id"), std::string::npos);
}

VEIL_ON_BOTH_BACKENDS(SchemaDeclared);

// [000] (3): live content records are kept for the period the data map declares; the product's
// default is 60 days, and nothing of a live's picture or voice is kept without a limit.
TEST(SchemaDeclared, LiveContentRecordsAreKeptSixtyDays) {
  auto map = engine::DataMap::load_file(std::string(VEIL_SOURCE_DIR) + "/datamap/datamap.toml");
  ASSERT_TRUE(map.ok()) << map.error().detail;
  int records = 0;
  for (const auto& f : map->fields()) {
    if (f.category != "live_recording" && f.category != "live_interaction") continue;
    ++records;
    EXPECT_FALSE(f.retention.until_cancellation) << f.id;
    EXPECT_EQ(f.retention.duration, 60 * kDay) << f.id;
  }
  EXPECT_GE(records, 4);  // recording and clip media, clip titles, room messages
}

}  // namespace
}  // namespace veil::test

namespace veil::test {
namespace {

// [004] 五(五): 相关日志记录我们将保留不少于六个月.
TEST(SchemaDeclared, NetworkLogsAreKeptAtLeastSixMonths) {
  auto map = engine::DataMap::load_file(std::string(VEIL_SOURCE_DIR) + "/datamap/datamap.toml");
  ASSERT_TRUE(map.ok()) << map.error().detail;
  int logs = 0;
  for (const auto& f : map->fields()) {
    if (f.category != "network_log") continue;
    ++logs;
    EXPECT_FALSE(f.retention.until_cancellation) << f.id;
    EXPECT_GE(f.retention.duration, 180 * kDay) << f.id;
  }
  EXPECT_GT(logs, 0);
}

}  // namespace
}  // namespace veil::test
