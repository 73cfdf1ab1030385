// The retention sweeper (PRIVACY_ENGINE §7): what the map times from a recorded moment is deleted
// once its period has run from that moment: whole rows when every personal field has run out,
// single fields otherwise; nothing whose moment has not come; again and again without harm.
#include "engine/retention/retention_sweeper.hpp"

#include <gtest/gtest.h>

#include "engine_fixture.hpp"

namespace veil::test {
namespace {

// Parcels: the address goes 30 days after sending, the label (a note) 7 days after sending.
// Shipments: the whole row goes 30 days after delivery. Visits: the whole row a day after it was
// collected, as its collected_at column says. Calls: timed from collection, but the table names
// no collected_at, so the sweeper leaves it.
constexpr std::string_view kRetentionMap = R"(
[[table]]
name = "parcels"
owner = "owner_id"
nonpersonal = ["id", "sent_at"]

[[table]]
name = "shipments"
owner = "owner_id"
nonpersonal = ["id", "delivered_at"]

[[table]]
name = "visits"
owner = "visitor_id"
nonpersonal = ["id", "seen_at"]
collected_at = "seen_at"

[[table]]
name = "calls"
owner = "caller_id"
nonpersonal = ["id", "at"]

[[field]]
id = "parcel.owner"
column = "parcels.owner_id"
category = "records"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "寄件人", en = "Sender" }

[[field]]
id = "parcel.address"
column = "parcels.address"
category = "contact"
protection = "plain"
retention = "30d"
retention_from = "parcels.sent_at"
name = { zh-CN = "地址", en = "Address" }

[[field]]
id = "parcel.label"
column = "parcels.label"
category = "records"
protection = "plain"
retention = "7d"
retention_from = "parcels.sent_at"
name = { zh-CN = "备注", en = "Label" }

[[field]]
id = "shipment.owner"
column = "shipments.owner_id"
category = "records"
protection = "plain"
retention = "30d"
retention_from = "shipments.delivered_at"
name = { zh-CN = "收件人", en = "Recipient" }

[[field]]
id = "shipment.address"
column = "shipments.address"
category = "contact"
protection = "plain"
retention = "30d"
retention_from = "shipments.delivered_at"
name = { zh-CN = "收件地址", en = "Delivery address" }

[[field]]
id = "visit.page"
column = "visits.page"
category = "records"
protection = "plain"
retention = "1d"
name = { zh-CN = "访问页面", en = "Page visited" }

[[field]]
id = "call.number"
column = "calls.number"
category = "contact"
protection = "plain"
retention = "1d"
name = { zh-CN = "号码", en = "Number" }

[[feature]]
id = "parcels"
name = { zh-CN = "寄件", en = "Parcels" }
optional_fields = ["parcel.owner", "parcel.address", "parcel.label", "shipment.owner", "shipment.address", "visit.page", "call.number"]

[[purpose]]
id = "parcels"
feature = "parcels"
basis = "contract"
fields = ["parcel.owner", "parcel.address", "parcel.label", "shipment.owner", "shipment.address", "visit.page", "call.number"]
name = { zh-CN = "寄件", en = "Sending parcels" }
description = { zh-CN = "寄件。", en = "Sends parcels." }
)";

class RetentionSweeper : public EngineStorage {
 protected:
  void SetUp() override {
    EngineStorage::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto parsed = engine::DataMap::parse(std::string(kMembersMap) + std::string(kRetentionMap), "test map");
    ASSERT_TRUE(parsed.ok()) << describe(parsed.error());
    map_.emplace(std::move(*parsed));
    create_table("CREATE TABLE parcels (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, address TEXT, label TEXT, sent_at BIGINT)");
    create_table("CREATE TABLE shipments (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, address TEXT, delivered_at BIGINT)");
    create_table("CREATE TABLE visits (id TEXT PRIMARY KEY, visitor_id TEXT NOT NULL, page TEXT, seen_at BIGINT NOT NULL)");
    create_table("CREATE TABLE calls (id TEXT PRIMARY KEY, caller_id TEXT NOT NULL, number TEXT, at BIGINT NOT NULL)");
    audit_.emplace(clock_, vault());
  }
  Result<engine::SweepReport> sweep() { return engine::sweep_expired(db(), *map_, *audit_, clock_.now()); }

  std::optional<engine::DataMap> map_;
  std::optional<engine::AuditLog> audit_;
};

TEST_P(RetentionSweeper, DeletesWholeRowsAndSingleFieldsOnlyOnceTheirPeriodHasRun) {
  Millis day = 24 * kHour;
  tamper("INSERT INTO parcels VALUES ('p1', 'u1', 'Beijing', 'fragile', ?)", {store::Value{clock_.now()}});
  tamper("INSERT INTO parcels VALUES ('p2', 'u2', 'Shanghai', 'gift', NULL)");  // not sent yet
  tamper("INSERT INTO shipments VALUES ('s1', 'u1', 'Beijing', ?)", {store::Value{clock_.now()}});
  tamper("INSERT INTO shipments VALUES ('s2', 'u2', 'Shanghai', NULL)");

  clock_.advance(7 * day - 1);
  ASSERT_TRUE(sweep().ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM parcels WHERE label IS NOT NULL"), 2) << "a day short of the period keeps everything";

  clock_.advance(1);
  auto week = sweep();
  ASSERT_TRUE(week.ok());
  EXPECT_EQ(week->fields_cleared["parcel.label"], 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM parcels WHERE id = 'p1' AND label IS NULL AND address = 'Beijing'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM shipments"), 2);

  clock_.advance(23 * day);
  auto month = sweep();
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(month->fields_cleared["parcel.address"], 1);
  EXPECT_EQ(month->rows_deleted["shipments"], 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM parcels WHERE id = 'p1' AND address IS NULL"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM parcels WHERE id = 'p2' AND address = 'Shanghai' AND label = 'gift'"), 1)
      << "no recorded moment, no period running";
  EXPECT_EQ(count("SELECT COUNT(*) FROM shipments WHERE id = 's2'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'retention.swept'"), 3);

  auto again = sweep();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->rows_deleted.empty());
  EXPECT_TRUE(again->fields_cleared.empty());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log WHERE action = 'retention.swept'"), 3) << "nothing swept, nothing recorded";
}

TEST_P(RetentionSweeper, PeriodsFromCollectionRunFromTheTablesCollectedAtColumn) {
  tamper("INSERT INTO visits VALUES ('v1', 'u1', '/rooms', ?)", {store::Value{clock_.now()}});
  tamper("INSERT INTO calls VALUES ('c1', 'u1', '13800138000', ?)", {store::Value{clock_.now()}});
  clock_.advance(kDay - 1);
  ASSERT_TRUE(sweep().ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM visits"), 1) << "a millisecond short of a day";
  tamper("INSERT INTO visits VALUES ('v2', 'u2', '/wallet', ?)", {store::Value{clock_.now()}});
  clock_.advance(1);
  auto swept = sweep();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(swept->rows_deleted["visits"], 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM visits WHERE id = 'v2'"), 1) << "collected later, kept longer";
  EXPECT_EQ(count("SELECT COUNT(*) FROM calls"), 1) << "no collected_at: not this sweeper's to time";
}

INSTANTIATE_TEST_SUITE_P(Backends, RetentionSweeper, kBothBackends, backend_param_name);

}  // namespace
}  // namespace veil::test
