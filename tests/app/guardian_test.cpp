// Under 14 ([002][003][004] 儿童): the account waits for a guardian, who verifies their own number
// and consents, before any further personal information of the child is accepted.
#include <gtest/gtest.h>

#include <chrono>

#include "app/api_server.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Guardian : public ::testing::TestWithParam<store::Backend> {};

std::string years_ago(int years) {
  auto today = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
  int y = static_cast<int>(today.year()) - years;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, static_cast<unsigned>(today.month()), 1u);
  return buf;
}

TEST_P(Guardian, UnderFourteenWaitsForTheGuardianAndAcceptsNothingMore) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string child = api.register_user("13500135000", {"login", "profile"}, years_ago(10));
  ApiReply me = api.get("/api/v1/me", child);
  EXPECT_EQ(me.body["status"], "awaiting_guardian");
  EXPECT_TRUE(me.body["minor"].get<bool>());
  auto before = api.row_counts();
  EXPECT_EQ(api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "kid"}}, child).error_code(), "guardian_consent_required");
  EXPECT_EQ(api.post("/api/v1/me/roles", {{"role", "examinee"}}, child).error_code(), "guardian_consent_required");
  EXPECT_EQ(api.call("PUT", "/api/v1/me/password", json{{"password", "a long password"}}, child).error_code(),
            "guardian_consent_required");
  EXPECT_EQ(api.post("/api/v1/me/consents", {{"grant", {"profile"}}}, child).error_code(), "guardian_consent_required");
  EXPECT_EQ(api.row_counts(), before);
}

TEST_P(Guardian, GuardianVerifiesTheirNumberAndConsentsThenTheAccountIsActive) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string child = api.register_user("13500135001", {"login", "profile"}, years_ago(9));
  EXPECT_EQ(api.post("/api/v1/guardian/code", {{"guardian_phone", "13500135001"}}, child).error_code(), "guardian_phone_same");
  ASSERT_EQ(api.post("/api/v1/guardian/code", {{"guardian_phone", "13500135999"}}, child).status, 202);
  std::string code = api.latest_code("13500135999");
  EXPECT_EQ(api.post("/api/v1/guardian/consent", {{"guardian_phone", "13500135999"}, {"code", code}, {"agree", false}}, child).error_code(),
            "guardian_agreement_required");
  ApiReply done = api.post("/api/v1/guardian/consent", {{"guardian_phone", "13500135999"}, {"code", code}, {"agree", true}}, child);
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_EQ(done.body["status"], "active");
  // The guardian's acceptance is in the child's ledger, made through the guardian channel.
  ApiReply consents = api.get("/api/v1/me/consents", child);
  const json& last = consents.body["records"].back();
  EXPECT_EQ(last["channel"], "guardian");
  EXPECT_NE(std::find(last["purposes"].begin(), last["purposes"].end(), "guardian_consent"), last["purposes"].end());
  EXPECT_EQ(api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "kid"}}, child).status, 200);
  EXPECT_EQ(api.row_counts()["guardian_consents"], 1);
}

TEST_P(Guardian, FourteenAndOverNeedsNoGuardianButIsStillAMinor) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string teen = api.register_user("13500135002", {"login"}, years_ago(15));
  ApiReply me = api.get("/api/v1/me", teen);
  EXPECT_EQ(me.body["status"], "active");
  EXPECT_TRUE(me.body["minor"].get<bool>());
  EXPECT_EQ(api.post("/api/v1/guardian/code", {{"guardian_phone", "13500135998"}}, teen).error_code(), "guardian_not_needed");
}

TEST_P(Guardian, AWrongGuardianCodeActivatesNothing) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string child = api.register_user("13500135003", {"login"}, years_ago(8));
  api.post("/api/v1/guardian/code", {{"guardian_phone", "13500135997"}}, child);
  std::string code = api.latest_code("13500135997");
  std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(api.post("/api/v1/guardian/consent", {{"guardian_phone", "13500135997"}, {"code", wrong}, {"agree", true}}, child).error_code(),
            "code_invalid");
  EXPECT_EQ(api.get("/api/v1/me", child).body["status"], "awaiting_guardian");
  EXPECT_EQ(api.row_counts()["guardian_consents"], 0);
}

TEST_P(Guardian, OnlyTheGuardianGivesTheChildsSeparateConsent) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string adult = api.register_user("13500135004");
  ApiReply self_granted = api.post("/api/v1/me/consents", {{"grant", {"guardian_consent"}}}, adult);
  EXPECT_EQ(self_granted.status, 403);
  EXPECT_EQ(self_granted.error_code(), "consent_by_guardian_only");
  api.post("/api/v1/auth/code", {{"phone", "13500135005"}, {"policy_version", "1.0.0"}});
  ApiReply at_registration = api.post(
      "/api/v1/auth/verify", {{"phone", "13500135005"}, {"code", api.latest_code("13500135005")},
                              {"consent", {{"policy_version", "1.0.0"}, {"purposes", {"login", "guardian_consent"}}}}});
  EXPECT_EQ(at_registration.error_code(), "consent_by_guardian_only");
  EXPECT_EQ(api.row_counts()["accounts"], 1);
}

VEIL_ON_BOTH_BACKENDS(Guardian);

}  // namespace
}  // namespace veil::test
