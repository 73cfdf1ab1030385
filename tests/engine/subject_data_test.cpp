// The right of access at the engine: everything held about a subject is found by walking the data
// map's owner paths, so a table added later is covered by its declaration alone. Runs on the
// `members` test table and its map (engine_fixture.hpp), extended here.
#include "engine/rights/subject_data.hpp"


#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>

#include "engine/rights/owned_rows.hpp"
#include "engine_fixture.hpp"

namespace veil::test {
namespace {

using engine::HeldAs;
using engine::HeldCategory;

// The members map with the members table in the profile category, and a table added later:
// badges, found through the member they belong to, with a blind-indexed e-mail address.
std::string map_with_badges() {
  std::string text(kMembersMap);
  const std::string owner = "name = \"members\"\nowner = \"member_id\"\n";
  text.replace(text.find(owner), owner.size(), owner + "category = \"profile\"\n");
  text += R"(
[[table]]
name = "badges"
owner = "holder -> members.member_id"
category = "records"
nonpersonal = ["id"]

[[field]]
id = "badge.holder"
column = "badges.holder"
category = "records"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "持有人", en = "Holder" }

[[field]]
id = "badge.title"
column = "badges.title"
category = "records"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "徽章", en = "Badge" }

[[field]]
id = "badge.email"
column = "badges.email_bidx"
category = "contact"
protection = "blind_index"
retention = "until_cancellation"
name = { zh-CN = "邮箱索引", en = "E-mail index" }

[[purpose]]
id = "badges"
feature = "membership"
basis = "contract"
fields = ["badge.holder", "badge.title", "badge.email"]
name = { zh-CN = "徽章", en = "Badges" }
description = { zh-CN = "颁发徽章。", en = "Awards badges." }
)";
  return text;
}

class SubjectData : public EngineStorage {
 protected:
  void SetUp() override {
    EngineStorage::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    create_table(kMembersTable);
    create_table("CREATE TABLE badges (id TEXT PRIMARY KEY, holder TEXT NOT NULL, title TEXT, email_bidx TEXT)");
    auto map = engine::DataMap::parse(map_with_badges(), "members-and-badges.toml");
    ASSERT_TRUE(map.ok()) << describe(map.error());
    map_.emplace(std::move(*map));
  }

  void add_member(const std::string& id, const std::string& nickname, const std::string& phone) {
    auto sealed = store::read<Bytes>(db(), [&](store::Session& s) { return vault().seal(s, id, "member.phone", phone); });
    ASSERT_TRUE(sealed.ok()) << describe(sealed.error());
    tamper("INSERT INTO members (member_id, nickname, phone_cipher, joined_at) VALUES (?, ?, ?, ?)",
           {id, nickname, *sealed, std::int64_t{kStart}});
  }

  std::vector<HeldCategory> held_about(const std::string& subject) {
    auto held = store::read<std::vector<HeldCategory>>(
        db(), [&](store::Session& s) { return engine::collect_subject_data(s, *map_, vault(), subject); });
    EXPECT_TRUE(held.ok()) << describe(held.error());
    return held.ok() ? std::move(*held) : std::vector<HeldCategory>{};
  }

  std::optional<engine::DataMap> map_;
};

// The value of `column` in the records of `category` from `table`, each record's.
std::vector<std::optional<std::string>> values_of(const std::vector<HeldCategory>& held, const std::string& category,
                                                  const std::string& table, const std::string& column,
                                                  HeldAs* held_as = nullptr) {
  std::vector<std::optional<std::string>> values;
  for (const auto& c : held) {
    if (c.category == nullptr || c.category->id != category) continue;
    for (const auto& r : c.records) {
      if (r.table->name != table) continue;
      for (const auto& v : r.values) {
        if (v.column != column) continue;
        values.push_back(v.value);
        if (held_as != nullptr) *held_as = v.held_as;
      }
    }
  }
  return values;
}

TEST_P(SubjectData, TheSubjectsRowsAreFoundWithSealedFieldsOpenedAndNoOneElsesRows) {
  add_member("m-ada", "Ada", "13800000001");
  add_member("m-bob", "Bob", "13800000002");
  auto held = held_about("m-ada");

  EXPECT_EQ(values_of(held, "profile", "members", "nickname"), std::vector<std::optional<std::string>>{"Ada"});
  HeldAs phone_as = HeldAs::Plain;
  EXPECT_EQ(values_of(held, "profile", "members", "phone_cipher", &phone_as),
            std::vector<std::optional<std::string>>{"13800000001"});
  EXPECT_EQ(phone_as, HeldAs::Sealed) << "opened for its owner";
  EXPECT_EQ(values_of(held, "profile", "members", "joined_at"), std::vector<std::optional<std::string>>{std::to_string(kStart)})
      << "the non-personal columns come along as context";
  for (const auto& c : held)
    for (const auto& r : c.records)
      for (const auto& v : r.values) {
        EXPECT_NE(v.value, std::optional<std::string>("Bob"));
        EXPECT_NE(v.value, std::optional<std::string>("13800000002"));
      }
  EXPECT_TRUE(held_about("m-nobody").empty());
}

TEST_P(SubjectData, ATableAddedLaterIsFoundByItsDeclarationAloneAndIndexesAreNotRevealed) {
  add_member("m-ada", "Ada", "13800000001");
  add_member("m-bob", "Bob", "13800000002");
  tamper("INSERT INTO badges (id, holder, title, email_bidx) VALUES ('b1', 'm-ada', 'First live', 'idx-ada')");
  tamper("INSERT INTO badges (id, holder, title, email_bidx) VALUES ('b2', 'm-ada', 'Hundred days', NULL)");
  tamper("INSERT INTO badges (id, holder, title, email_bidx) VALUES ('b3', 'm-bob', 'Bob only', 'idx-bob')");

  auto held = held_about("m-ada");
  auto titles = values_of(held, "records", "badges", "title");
  std::sort(titles.begin(), titles.end());
  EXPECT_EQ(titles, (std::vector<std::optional<std::string>>{"First live", "Hundred days"}));
  HeldAs email_as = HeldAs::Plain;
  EXPECT_EQ(values_of(held, "records", "badges", "email_bidx", &email_as),
            (std::vector<std::optional<std::string>>{std::nullopt, std::nullopt}))
      << "an index is described, never shown";
  EXPECT_EQ(email_as, HeldAs::Indexed);
}

TEST_P(SubjectData, ASealedFieldWhoseKeyIsShreddedShowsNothing) {
  add_member("m-ada", "Ada", "13800000001");
  Status shredded = db().transaction([&](store::Session& s) { return vault().shred(s, "m-ada"); });
  ASSERT_TRUE(shredded.ok()) << describe(shredded.error());
  HeldAs phone_as = HeldAs::Plain;
  EXPECT_EQ(values_of(held_about("m-ada"), "profile", "members", "phone_cipher", &phone_as),
            std::vector<std::optional<std::string>>{std::nullopt});
  EXPECT_EQ(phone_as, HeldAs::Sealed);
  for (const auto& c : held_about("m-ada"))
    for (const auto& r : c.records)
      for (const auto& v : r.values) {
        if (v.column == "phone_cipher") {
          EXPECT_TRUE(v.stored) << "held, but no longer readable";
        }
        if (v.column == "city") {
          EXPECT_FALSE(v.stored) << "nothing held";
        }
      }
}

INSTANTIATE_TEST_SUITE_P(Backends, SubjectData, kBothBackends, backend_param_name);

// The real map: every owned table says which category its rows belong to, so each row a person
// asks about has a named place in what they are shown.
TEST(RealMap, EveryOwnedTableNamesTheCategoryOfItsRows) {
  auto map = real_map();
  ASSERT_TRUE(map.ok()) << describe(map.error());
  for (const auto& t : map->tables()) {
    if (!t.owner) continue;
    EXPECT_FALSE(t.category.empty()) << t.name;
  }
}

// An owner path through another table becomes a subquery; a name that is not plain SQL is refused.
TEST(OwnedRows, APathThroughAnotherTableBecomesASubquery) {
  auto map = engine::DataMap::parse(map_with_badges(), "members-and-badges.toml");
  ASSERT_TRUE(map.ok()) << describe(map.error());
  auto condition = engine::owned_rows_condition(*map, *map->table("badges"));
  ASSERT_TRUE(condition.ok()) << describe(condition.error());
  EXPECT_EQ(*condition, "badges.holder IN (SELECT members.member_id FROM members WHERE members.member_id = ?)");
  std::string odd = map_with_badges();
  odd.replace(odd.find("owner = \"holder -> members.member_id\""), 37, "owner = \"holder; DROP TABLE x\"");
  auto odd_map = engine::DataMap::parse(odd, "odd.toml");
  ASSERT_TRUE(odd_map.ok()) << describe(odd_map.error());
  EXPECT_FALSE(engine::owned_rows_condition(*odd_map, *odd_map->table("badges")).ok());
}

}  // namespace
}  // namespace veil::test
