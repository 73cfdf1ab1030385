// The published documents are rendered from the data map (PRIVACY_ENGINE §1): every field, purpose,
// recipient and permission the map declares appears in them, and nothing else does; an acceptance
// refers to the exact text by its hash, so a version's text is published once and never changes.
#include "engine/policy/policy_documents.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "engine/audit/audit_log.hpp"
#include "engine/policy/policy_publisher.hpp"
#include "engine_fixture.hpp"

namespace veil::test {
namespace {

using engine::DocumentKind;
using engine::Lang;
using ::testing::HasSubstr;

std::string real_map_text() {
  std::ifstream in(source_path("datamap/datamap.toml"), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The real map with one edit; the edit must apply.
std::string edited(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

Result<engine::PolicyFragments> real_fragments() {
  return engine::PolicyFragments::load_file(source_path("i18n/policy.toml").string());
}

// Every string anywhere in a rendered document, joined: what a reader sees.
void collect_text(const nlohmann::json& node, std::string& out) {
  if (node.is_string()) {
    out += node.get<std::string>() + "\n";
  } else if (node.is_structured()) {
    for (const auto& child : node) collect_text(child, out);
  }
}

// The table of a single-table document (collected-pi, third-parties, permissions).
nlohmann::json table_of(const nlohmann::json& document) {
  return document.at("sections").at(0).at("table");
}

std::vector<std::string> column(const nlohmann::json& table, std::size_t index) {
  std::vector<std::string> out;
  for (const auto& row : table.at("rows")) out.push_back(row.at(index).get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// ---------------------------------------------------------------- the round trip, in each language

class PolicyDocumentsRoundTrip : public ::testing::TestWithParam<Lang> {
 protected:
  void SetUp() override {
    auto map = real_map();
    ASSERT_TRUE(map.ok()) << describe(map.error());
    map_.emplace(std::move(*map));
    auto fragments = real_fragments();
    ASSERT_TRUE(fragments.ok()) << describe(fragments.error());
    documents_.emplace(*map_, std::move(*fragments));
  }

  Lang lang() const { return GetParam(); }
  nlohmann::json render(DocumentKind kind) const { return documents_->render(kind, lang()); }

  std::optional<engine::DataMap> map_;
  std::optional<engine::PolicyDocuments> documents_;
};

TEST_P(PolicyDocumentsRoundTrip, CollectedPiListHasOneRowPerPurposeAndField) {
  std::vector<std::string> expected;
  for (const auto& purpose : map_->purposes())
    for (const auto& field : purpose.fields)
      expected.push_back(map_->field(field)->name.in(lang()) + " | " + purpose.name.in(lang()));

  const nlohmann::json table = table_of(render(DocumentKind::CollectedPi));
  std::vector<std::string> listed;
  for (const auto& row : table.at("rows"))
    listed.push_back(row.at(0).get<std::string>() + " | " + row.at(3).get<std::string>());
  EXPECT_EQ(sorted(listed), sorted(expected));
}

TEST_P(PolicyDocumentsRoundTrip, CollectedPiListNamesEveryField) {
  const auto listed = column(table_of(render(DocumentKind::CollectedPi)), 0);
  for (const auto& field : map_->fields()) {
    EXPECT_TRUE(std::binary_search(listed.begin(), listed.end(), field.name.in(lang())))
        << field.id << " (" << field.name.in(lang()) << ") is not in the collected-PI list";
  }
}

// A period that starts at a recorded moment reads as words, never as the column behind it.
TEST_P(PolicyDocumentsRoundTrip, RetentionNamesItsStartInWordsNotColumns) {
  std::string text;
  collect_text(render(DocumentKind::CollectedPi), text);
  EXPECT_EQ(text.find("delivered_at"), std::string::npos);
  EXPECT_NE(text.find(lang() == Lang::ZhCN ? "寄出后30天" : "30 days after it is sent"), std::string::npos);
}

TEST_P(PolicyDocumentsRoundTrip, ThirdPartyListHasExactlyTheMapsRecipients) {
  const nlohmann::json table = table_of(render(DocumentKind::ThirdParties));
  std::vector<std::string> expected;
  for (const auto& r : map_->recipients()) expected.push_back(r.name.in(lang()));
  EXPECT_EQ(column(table, 0), sorted(expected));
  // Each recipient's row names every field it receives.
  for (const auto& row : table.at("rows")) {
    const std::string name = row.at(0).get<std::string>();
    const auto r =
        std::find_if(map_->recipients().begin(), map_->recipients().end(),
                     [&](const engine::Recipient& x) { return x.name.in(lang()) == name; });
    ASSERT_NE(r, map_->recipients().end()) << name;
    for (const auto& field : r->fields)
      EXPECT_THAT(row.at(1).get<std::string>(), HasSubstr(map_->field(field)->name.in(lang())))
          << r->id;
  }
}

TEST_P(PolicyDocumentsRoundTrip, PermissionListHasExactlyTheMapsPermissions) {
  std::vector<std::string> expected;
  for (const auto& p : map_->permissions()) expected.push_back(p.name.in(lang()));
  EXPECT_EQ(column(table_of(render(DocumentKind::Permissions)), 0), sorted(expected));
}

TEST_P(PolicyDocumentsRoundTrip, PrivacyPolicyNamesEveryPurposeAndRecipient) {
  std::string text;
  collect_text(render(DocumentKind::PrivacyPolicy), text);
  for (const auto& purpose : map_->purposes()) {
    EXPECT_THAT(text, HasSubstr(purpose.name.in(lang()))) << purpose.id;
    EXPECT_THAT(text, HasSubstr(purpose.description.in(lang()))) << purpose.id;
  }
  for (const auto& r : map_->recipients()) EXPECT_THAT(text, HasSubstr(r.name.in(lang()))) << r.id;
}

TEST_P(PolicyDocumentsRoundTrip, PrivacyPolicyCarriesTheSameTablesAsThePublishedLists) {
  const nlohmann::json policy = render(DocumentKind::PrivacyPolicy);
  std::vector<nlohmann::json> tables;
  for (const auto& section : policy.at("sections"))
    if (section.contains("table")) tables.push_back(section.at("table"));
  for (DocumentKind kind :
       {DocumentKind::CollectedPi, DocumentKind::ThirdParties, DocumentKind::Permissions}) {
    SCOPED_TRACE(std::string(engine::to_string(kind)));
    EXPECT_EQ(std::count(tables.begin(), tables.end(), table_of(render(kind))), 1);
  }
}

std::string language_name(const ::testing::TestParamInfo<Lang>& language) {
  return language.param == Lang::ZhCN ? "ZhCN" : "En";
}

INSTANTIATE_TEST_SUITE_P(Languages, PolicyDocumentsRoundTrip,
                         ::testing::Values(Lang::ZhCN, Lang::En), language_name);

// ---------------------------------------------------------------- the text hash

// The hash of the policy rendered from `map_text` with the real fragments.
std::string text_sha256_of(const std::string& map_text) {
  auto map = engine::DataMap::parse(map_text, "datamap.toml");
  EXPECT_TRUE(map.ok()) << describe(map.error());
  auto fragments = real_fragments();
  EXPECT_TRUE(fragments.ok()) << describe(fragments.error());
  if (!map.ok() || !fragments.ok()) return {};
  return engine::PolicyDocuments(*map, std::move(*fragments)).text_sha256();
}

TEST(PolicyDocuments, TheTextHashIsTheSameForTheSameMap) {
  EXPECT_EQ(text_sha256_of(real_map_text()), text_sha256_of(real_map_text()));
}

TEST(PolicyDocuments, TheTextHashChangesWhenAPurposeDescriptionChanges) {
  const std::string text = real_map_text();
  EXPECT_NE(text_sha256_of(text),
            text_sha256_of(edited(text, "You may add a nickname", "You can add a nickname")));
}

TEST(PolicyDocuments, TheTextHashChangesWhenRetentionCountsFromALaterEvent) {
  // "6 months" and "6 months after the account is closed" are different promises (a longer
  // retention is a material change): the documents must tell them apart.
  const std::string text = real_map_text();
  const std::string later =
      edited(text, "column = \"security_events.ip_cipher\"",
             "column = \"security_events.ip_cipher\"\nretention_from = \"cancellation\"");
  EXPECT_NE(text_sha256_of(text), text_sha256_of(later));
}

// ---------------------------------------------------------------- publication

class PolicyPublisher : public EngineStorage {
 protected:
  void SetUp() override {
    EngineStorage::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    audit_.emplace(clock_, vault());
  }

  // Publishes the policy rendered from `map_text` (the real map unless given).
  Status publish(const std::string& map_text) {
    auto map = engine::DataMap::parse(map_text, "datamap.toml");
    if (!map.ok()) return map.take_error();
    auto fragments = real_fragments();
    if (!fragments.ok()) return fragments.take_error();
    const engine::PolicyDocuments documents(*map, std::move(*fragments));
    published_sha256_ = documents.text_sha256();
    return engine::publish_policy(db(), *map, documents, *audit_, clock_);
  }

  std::optional<engine::AuditLog> audit_;
  std::string published_sha256_;  // of the last publish() call
};

TEST_P(PolicyPublisher, AFirstPublicationIsRecordedAndAudited) {
  Status st = publish(real_map_text());
  ASSERT_TRUE(st.ok()) << describe(st.error());
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM policy_versions WHERE version = '1.0.0' AND text_sha256 = ?",
            {store::Value{published_sha256_}}),
      1);
  EXPECT_EQ(
      count(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.published' AND target = '1.0.0'"),
      1);
}

TEST_P(PolicyPublisher, ReusingAVersionForDifferentTextIsRefused) {
  const std::string text = real_map_text();
  ASSERT_TRUE(publish(text).ok());
  const std::string first_sha256 = published_sha256_;

  Status st = publish(edited(text, "You may add a nickname", "You can add a nickname"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().reason, "policy_version_reused");
  EXPECT_EQ(st.error().code, ErrorCode::Conflict);
  EXPECT_EQ(count("SELECT COUNT(*) FROM policy_versions WHERE text_sha256 = ?",
                  {store::Value{first_sha256}}),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM policy_versions"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 1);
}

TEST_P(PolicyPublisher, RepublishingTheSameTextChangesNothing) {
  ASSERT_TRUE(publish(real_map_text()).ok());
  clock_.advance(kDay);  // the server restarts the next day
  Status st = publish(real_map_text());
  ASSERT_TRUE(st.ok()) << describe(st.error());
  EXPECT_EQ(count("SELECT COUNT(*) FROM policy_versions"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, PolicyPublisher, kBothBackends, backend_param_name);

}  // namespace
}  // namespace veil::test
