// The right of access (H1): GET /api/v1/me/data shows a person everything held about them, by
// data-map category, found by the map's owner paths; sealed fields opened for their owner alone,
// indexed and hashed ones described, nobody else's rows, and each look audited.
#include <gtest/gtest.h>

#include "app/api_server.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Rights : public ::testing::TestWithParam<store::Backend> {};

// The values in `data` of `column` in `table`'s records, whatever their category.
std::vector<json> values_of(const json& data, const std::string& table, const std::string& column) {
  std::vector<json> values;
  for (const auto& category : data["categories"])
    for (const auto& record : category["records"])
      if (record["table"] == table)
        for (const auto& value : record["values"])
          if (value["column"] == column) values.push_back(value);
  return values;
}

std::string category_of(const json& data, const std::string& table) {
  for (const auto& category : data["categories"])
    for (const auto& record : category["records"])
      if (record["table"] == table) return category["id"].is_string() ? category["id"].get<std::string>() : "";
  return "";
}

TEST_P(Rights, APersonSeesWhatIsHeldAboutThemByCategoryAndNothingOfAnyoneElse) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string ada = api.register_user("13400134010", {"login", "profile"});
  ASSERT_EQ(api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "阿达"}, {"hometown", "成都"}}, ada).status, 200);
  std::string bob = api.register_user("13400134011", {"login", "profile"});
  ASSERT_EQ(api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "Bob-only"}}, bob).status, 200);

  ApiReply reply = api.get("/api/v1/me/data", ada);
  ASSERT_EQ(reply.status, 200) << reply.raw;
  const json& data = reply.body;

  auto nickname = values_of(data, "profiles", "nickname");
  ASSERT_EQ(nickname.size(), 1u);
  EXPECT_EQ(nickname[0]["value"], "阿达");
  EXPECT_EQ(nickname[0]["name"]["zh-CN"].get<std::string>().empty(), false);
  EXPECT_EQ(category_of(data, "profiles"), "profile");
  for (const auto& category : data["categories"]) {
    EXPECT_FALSE(category["name"]["zh-CN"].get<std::string>().empty());
    EXPECT_FALSE(category["name"]["en"].get<std::string>().empty());
  }

  auto phone = values_of(data, "accounts", "phone_cipher");
  ASSERT_EQ(phone.size(), 1u);
  EXPECT_EQ(phone[0]["held_as"], "sealed");
  EXPECT_NE(phone[0]["value"].get<std::string>().find("13400134010"), std::string::npos) << "opened for its owner";
  auto index = values_of(data, "accounts", "phone_bidx");
  ASSERT_EQ(index.size(), 1u);
  EXPECT_EQ(index[0]["held_as"], "indexed");
  EXPECT_TRUE(index[0]["value"].is_null()) << "an index is described, not revealed";
  EXPECT_TRUE(index[0]["stored"].get<bool>());
  auto birth_date = values_of(data, "accounts", "birth_date_cipher");
  ASSERT_EQ(birth_date.size(), 1u);
  EXPECT_FALSE(birth_date[0]["stored"].get<bool>()) << "no birth date was given";
  for (const auto& session : values_of(data, "sessions", "token_hash")) EXPECT_TRUE(session["value"].is_null());

  EXPECT_FALSE(values_of(data, "consent_records", "purposes").empty()) << "consents are part of what is held";
  EXPECT_EQ(reply.raw.find("Bob-only"), std::string::npos);
  EXPECT_EQ(reply.raw.find("13400134011"), std::string::npos);
  EXPECT_EQ(reply.raw.find(ada), std::string::npos) << "the session token itself is never shown";

  auto audited = store::read<std::vector<store::Row>>(api.platform().db(), [](store::Session& s) {
    return s.query("SELECT COUNT(*) FROM audit_log WHERE action = 'rights.access'", {});
  });
  ASSERT_TRUE(audited.ok());
  EXPECT_EQ((*audited)[0].integer(0), 1);
}

TEST_P(Rights, AccessNeedsASession) {
  VEIL_START_API_SERVER(api, GetParam());
  ApiReply anonymous = api.get("/api/v1/me/data");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_FALSE(anonymous.error_code().empty());
  ApiReply forged = api.get("/api/v1/me/data", "not-a-session");
  EXPECT_EQ(forged.status, 401);
}

VEIL_ON_BOTH_BACKENDS(Rights);

}  // namespace
}  // namespace veil::test
