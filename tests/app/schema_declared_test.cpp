// G1: every column of every table is declared in the data map, and every declared field exists.
#include <gtest/gtest.h>

#include <map>
#include <set>

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

// PRIVACY_ENGINE §7: what the map keeps for a period from collection, the retention sweeper deletes
// once the period has run, timed from the table's collected_at column. The tables that name none
// are these, each for its reason; a new table must name its column or be added here with one.
TEST(SchemaDeclared, EveryPeriodFromCollectionIsSweptOrListedWithItsReason) {
  auto map = engine::DataMap::load_file(std::string(VEIL_SOURCE_DIR) + "/datamap/datamap.toml");
  ASSERT_TRUE(map.ok()) << map.error().detail;
  const std::map<std::string, std::string> not_swept = {
      {"audit_log", "a hash chain: dropping its oldest entries needs a checkpoint of the chain"},
      {"ledger_transactions", "the ledger: a balance is the sum of its entries, so old ones need a carried-forward balance"},
      {"ledger_entries", "the ledger, as above"},
      {"recharge_orders", "kept as long as the ledger transactions they settle"},
      {"withdrawals", "kept as long as the ledger transactions they settle"},
      {"penalties", "a permanent ban must outlive its 3 years: the period should run from its end"},
      {"lottery_entries", "deleting an entry deletes its winner's delivery details, sent or not"},
      {"recording_participants", "deleted with its recording (ON DELETE CASCADE)"},
  };
  std::set<std::string> untimed;
  for (const auto& f : map->fields()) {
    if (f.table.empty() || f.retention.until_cancellation || f.retention.duration <= 0 || f.retention.from != "collected") continue;
    if (map->table(f.table)->collected_at.empty()) untimed.insert(f.table);
  }
  std::set<std::string> listed;
  for (const auto& [table, why] : not_swept) listed.insert(table);
  EXPECT_EQ(untimed, listed);
}

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
