// The optional profile rests on consent ([004] 一(三)2(3)): refused without it, erased when it is
// withdrawn (PIPL art. 47), never required for the basic service.
#include <gtest/gtest.h>

#include "app/api_server.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class ProfileConsent : public ::testing::TestWithParam<store::Backend> {};

TEST_P(ProfileConsent, ProfileWithoutConsentIsRefusedAndNotStored) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13400134000");
  ApiReply r = api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "阿明"}, {"hometown", "成都"}}, token);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.error_code(), "consent_required");
  EXPECT_EQ(api.row_counts()["profiles"], 0);
}

TEST_P(ProfileConsent, ConsentedProfileIsSavedAndShown) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13400134001", {"login", "profile"});
  ApiReply r = api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "阿明"}, {"gender", "male"}, {"intro", "hi"}}, token);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["profile"]["nickname"], "阿明");
  EXPECT_EQ(r.body["profile"]["gender"], "male");
  EXPECT_TRUE(r.body["profile"]["hometown"].is_null());
  ApiReply cleared = api.call("PATCH", "/api/v1/me/profile", json{{"intro", nullptr}}, token);
  EXPECT_TRUE(cleared.body["profile"]["intro"].is_null());
  EXPECT_EQ(cleared.body["profile"]["nickname"], "阿明");
}

TEST_P(ProfileConsent, WithdrawalStopsTheProcessingAndErasesTheProfile) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13400134002", {"login", "profile"});
  api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "Ming"}, {"industry", "education"}}, token);
  ApiReply withdrawn = api.post("/api/v1/me/consents", {{"withdraw", {"profile"}}}, token);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.raw;
  ApiReply me = api.get("/api/v1/me", token);
  EXPECT_FALSE(me.body["profile_consent"].get<bool>());
  EXPECT_TRUE(me.body["profile"].empty());
  EXPECT_EQ(api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "again"}}, token).error_code(), "consent_required");
  auto stored = store::read<std::vector<store::Row>>(api.platform().db(), [](store::Session& s) {
    return s.query("SELECT nickname, industry FROM profiles", {});
  });
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_TRUE((*stored)[0].is_null(0));
  EXPECT_TRUE((*stored)[0].is_null(1));
}

TEST_P(ProfileConsent, ConsentsListShowsEachRecordAndTheCurrentChoice) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13400134003", {"login"});
  api.post("/api/v1/me/consents", {{"grant", {"profile"}}}, token);
  api.post("/api/v1/me/consents", {{"withdraw", {"profile"}}}, token);
  ApiReply overview = api.get("/api/v1/me/consents", token);
  ASSERT_EQ(overview.body["records"].size(), 3u);
  EXPECT_EQ(overview.body["records"][0]["action"], "accept");
  EXPECT_EQ(overview.body["records"][1]["action"], "grant");
  EXPECT_EQ(overview.body["records"][2]["action"], "withdraw");
  for (const auto& p : overview.body["purposes"]) {
    if (p["id"] == "profile") {
      EXPECT_FALSE(p["granted"].get<bool>());
    }
  }
}

TEST_P(ProfileConsent, TheProfileIsNeverRequired) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13400134004");
  EXPECT_EQ(api.get("/api/v1/me", token).status, 200);
  EXPECT_EQ(api.call("PATCH", "/api/v1/me/profile", json::object(), token).status, 200);
}

VEIL_ON_BOTH_BACKENDS(ProfileConsent);

}  // namespace
}  // namespace veil::test
