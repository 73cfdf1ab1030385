// The data map is the one declaration of personal information: it must load as written, and any
// mistake in it must be refused at start-up with an error naming the file, the line and the entry.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "engine/datamap/data_map.hpp"
#include "engine_fixture.hpp"

namespace veil::test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

// The smallest valid map; each test adds or changes one entry.
constexpr std::string_view kValidMap = R"(version = "1"

[[category]]
id = "profile"
name = { zh-CN = "个人资料", en = "Profile" }

[[table]]
name = "people"
owner = "person_id"
nonpersonal = ["created_at"]

[[field]]
id = "person.nickname"
column = "people.nickname"
category = "profile"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "昵称", en = "Nickname" }

[[feature]]
id = "profile"
name = { zh-CN = "个人资料", en = "Profile" }
optional_fields = ["person.nickname"]

[[purpose]]
id = "profile"
feature = "profile"
basis = "consent"
fields = ["person.nickname"]
name = { zh-CN = "完善资料", en = "Complete your profile" }
description = { zh-CN = "展示资料。", en = "Shows your profile." }
)";

std::string with(std::string_view extra) { return std::string(kValidMap) + std::string(extra); }

// "test.toml:<line>:" for the line holding `needle`, as the parser's errors begin.
std::string at_line_of(std::string_view text, std::string_view needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  const auto line =
      1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  return "test.toml:" + std::to_string(line) + ":";
}

// The error the map is refused with ("" and a test failure when it is accepted).
std::string refusal(std::string_view text) {
  auto parsed = engine::DataMap::parse(text, "test.toml");
  EXPECT_FALSE(parsed.ok()) << "the map was accepted";
  if (parsed.ok()) return {};
  EXPECT_EQ(parsed.error().reason, "datamap_invalid");
  return parsed.error().detail;
}

TEST(DataMap, TheRealDataMapLoads) {
  auto map = real_map();
  ASSERT_TRUE(map.ok()) << describe(map.error());
  EXPECT_FALSE(map->version().empty());
  EXPECT_FALSE(map->fields().empty());
  const engine::Purpose* login = map->purpose("login");
  ASSERT_NE(login, nullptr);
  EXPECT_TRUE(login->necessary);
  EXPECT_TRUE(login->needs_consent());
}

TEST(DataMap, ATypoedKeyIsAnErrorNamingFileLineAndKey) {
  const std::string text = with(R"(
[[category]]
id = "health"
name = { zh-CN = "健康", en = "Health" }
sensitve = true
)");
  EXPECT_THAT(refusal(text),
              AllOf(HasSubstr(at_line_of(text, "sensitve")), HasSubstr("`sensitve`")));
}

TEST(DataMap, AnUnknownCategoryIsAnErrorNamingLineAndField) {
  const std::string text = with(R"(
[[field]]  # the faulty entry
id = "person.city"
column = "people.city"
category = "hometown"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "城市", en = "City" }
)");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "# the faulty entry")),
                                   HasSubstr("field \"person.city\""),
                                   HasSubstr("unknown category \"hometown\"")));
}

TEST(DataMap, AnUnknownProtectionIsAnErrorNamingLineAndField) {
  const std::string text = with(R"(
[[field]]  # the faulty entry
id = "person.city"
column = "people.city"
category = "profile"
protection = "scrambled"
retention = "until_cancellation"
name = { zh-CN = "城市", en = "City" }
)");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "# the faulty entry")),
                                   HasSubstr("field \"person.city\""),
                                   HasSubstr("unknown protection \"scrambled\"")));
}

TEST(DataMap, AnUnknownBasisIsAnErrorNamingLineAndPurpose) {
  const std::string text = with(R"(
[[purpose]]  # the faulty entry
id = "greetings"
feature = "profile"
basis = "goodwill"
fields = ["person.nickname"]
name = { zh-CN = "问候", en = "Greetings" }
description = { zh-CN = "称呼您。", en = "Greets you." }
)");
  EXPECT_THAT(refusal(text),
              AllOf(HasSubstr(at_line_of(text, "# the faulty entry")),
                    HasSubstr("purpose \"greetings\""), HasSubstr("unknown basis \"goodwill\"")));
}

TEST(DataMap, AnUnknownFieldReferenceIsAnErrorNamingLineAndPurpose) {
  const std::string text = with(R"(
[[purpose]]  # the faulty entry
id = "fitting"
feature = "profile"
basis = "consent"
fields = ["person.shoe_size"]
name = { zh-CN = "试穿", en = "Fitting" }
description = { zh-CN = "试穿。", en = "Fits shoes." }
)");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "# the faulty entry")),
                                   HasSubstr("purpose \"fitting\""),
                                   HasSubstr("unknown field \"person.shoe_size\"")));
}

TEST(DataMap, AnUnknownPurposeReferenceIsAnErrorNamingLineAndRecipient) {
  const std::string text = with(R"(
[[recipient]]  # the faulty entry
id = "ad_network"
kind = "sdk"
name = { zh-CN = "广告", en = "Ads" }
description = { zh-CN = "广告。", en = "Ads." }
fields = ["person.nickname"]
purposes = ["marketing"]
location = "mainland"
)");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "# the faulty entry")),
                                   HasSubstr("recipient \"ad_network\""),
                                   HasSubstr("unknown purpose \"marketing\"")));
}

TEST(DataMap, AFieldDeclaredTwiceIsAnError) {
  const std::string text = with(R"(
[[field]]  # the second declaration
id = "person.nickname"
column = "people.alias"
category = "profile"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "别名", en = "Alias" }
)");
  EXPECT_THAT(refusal(text),
              AllOf(HasSubstr(at_line_of(text, "# the second declaration")),
                    HasSubstr("field \"person.nickname\""), HasSubstr("declared twice")));
}

TEST(DataMap, AColumnBothPersonalAndNonPersonalIsAnError) {
  std::string text(kValidMap);
  const std::string_view declared = R"(nonpersonal = ["created_at"])";
  text.replace(text.find(declared), declared.size(), R"(nonpersonal = ["created_at", "nickname"])");
  EXPECT_THAT(refusal(text),
              AllOf(HasSubstr(at_line_of(text, "[[field]]")),
                    HasSubstr("field \"person.nickname\""), HasSubstr("non-personal")));
}

TEST(DataMap, ACollectedAtThatIsNotANonPersonalColumnIsAnError) {
  std::string text(kValidMap);
  const std::string_view declared = R"(nonpersonal = ["created_at"])";
  text.replace(text.find(declared), declared.size(), "nonpersonal = [\"created_at\"]\ncollected_at = \"nickname\"");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "[[table]]")), HasSubstr("table \"people\""),
                                   HasSubstr("collected_at \"nickname\"")));
}

TEST(DataMap, AFieldNoPurposeUsesIsAnError) {
  const std::string text = with(R"(
[[field]]  # kept just in case
id = "person.city"
column = "people.city"
category = "profile"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "城市", en = "City" }
)");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "# kept just in case")),
                                   HasSubstr("field \"person.city\""),
                                   HasSubstr("no [[purpose]] lists this field")));
}

TEST(DataMap, SeparateConsentWithoutSayingForWhatIsAnError) {
  const std::string text = with(R"(
[[purpose]]  # the faulty entry
id = "sharing"
feature = "profile"
basis = "separate_consent"
fields = ["person.nickname"]
name = { zh-CN = "共享", en = "Sharing" }
description = { zh-CN = "共享。", en = "Shares it." }
)");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "# the faulty entry")),
                                   HasSubstr("purpose \"sharing\""), HasSubstr("`separate`")));
}

TEST(DataMap, SeparateWithoutASeparateConsentBasisIsAnError) {
  const std::string text = with(R"(
[[purpose]]  # the faulty entry
id = "sharing"
feature = "profile"
basis = "consent"
separate = ["third_party"]
fields = ["person.nickname"]
name = { zh-CN = "共享", en = "Sharing" }
description = { zh-CN = "共享。", en = "Shares it." }
)");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "# the faulty entry")),
                                   HasSubstr("purpose \"sharing\""), HasSubstr("`separate`")));
}

TEST(DataMap, MalformedTomlNamesItsLine) {
  const std::string text = with(R"(
[[category]]
id = "broken
)");
  EXPECT_THAT(refusal(text), HasSubstr(at_line_of(text, "\"broken")));
}

TEST(DataMap, AnEphemeralFieldWithAColumnIsAnError) {
  const std::string text = with(R"(
[[field]]  # the faulty entry
id = "person.face"
column = "people.face"
category = "profile"
protection = "ephemeral"
name = { zh-CN = "人脸", en = "Face" }
)");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "# the faulty entry")),
                                   HasSubstr("field \"person.face\""), HasSubstr("ephemeral")));
}

TEST(DataMap, AnUnreadableFileIsAnErrorNamingThePath) {
  auto map = engine::DataMap::load_file("/nonexistent/datamap.toml");
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.error().reason, "datamap_invalid");
  EXPECT_THAT(map.error().detail, HasSubstr("/nonexistent/datamap.toml"));
}

TEST(DataMap, PersonalTablesAreThoseWithAnOwnerOrAField) {
  auto map = members_map();
  ASSERT_TRUE(map.ok()) << describe(map.error());
  // subject_keys, consent_records and members have an owner; audit_log has fields and no owner;
  // schema_migrations, vault_meta and policy_versions hold nothing personal.
  EXPECT_THAT(map->personal_tables(),
              UnorderedElementsAre("subject_keys", "audit_log", "consent_records", "members"));
}

}  // namespace
}  // namespace veil::test

namespace veil::test {
namespace {

// PIPL art. 38–39: a recipient outside mainland China needs a separate cross-border consent.
TEST(DataMapCrossBorder, ARecipientAbroadWithoutCrossBorderConsentIsAnError) {
  const std::string text = with(R"(
[[recipient]]  # abroad
id = "overseas_cdn"
kind = "processor"
name = { zh-CN = "境外CDN", en = "Overseas CDN" }
description = { zh-CN = "分发头像。", en = "Serves avatars." }
fields = ["person.nickname"]
purposes = ["profile"]
location = "outside"
)");
  EXPECT_THAT(refusal(text), AllOf(HasSubstr(at_line_of(text, "# abroad")), HasSubstr("recipient \"overseas_cdn\""),
                                   HasSubstr("cross_border")));
}

TEST(DataMapCrossBorder, ARecipientAbroadServingACrossBorderConsentLoads) {
  const std::string text = with(R"(
[[purpose]]
id = "abroad"
feature = "profile"
basis = "separate_consent"
separate = ["cross_border"]
fields = ["person.nickname"]
name = { zh-CN = "境外展示", en = "Shown abroad" }
description = { zh-CN = "境外分发。", en = "Served abroad." }

[[recipient]]
id = "overseas_cdn"
kind = "processor"
name = { zh-CN = "境外CDN", en = "Overseas CDN" }
description = { zh-CN = "分发头像。", en = "Serves avatars." }
fields = ["person.nickname"]
purposes = ["abroad"]
location = "outside"
)");
  auto map = engine::DataMap::parse(text, "test.toml");
  EXPECT_TRUE(map.ok()) << map.error().detail;
}

}  // namespace
}  // namespace veil::test
