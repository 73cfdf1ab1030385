// Registering and logging in by phone and one-time code ([all]), sessions, optional password.
#include <gtest/gtest.h>

#include "app/api_server.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Registration : public ::testing::TestWithParam<store::Backend> {};

const json kConsent = {{"policy_version", "1.0.0"}, {"purposes", {"login"}}};

TEST_P(Registration, NewNumberRegistersWithConsentAndGetsASession) {
  VEIL_START_API_SERVER(api, GetParam());
  EXPECT_EQ(api.post("/api/v1/auth/code", {{"phone", "13800138000"}, {"policy_version", "1.0.0"}}).status, 202);
  ApiReply reply = api.post("/api/v1/auth/verify", {{"phone", "13800138000"}, {"code", api.latest_code("13800138000")}, {"consent", kConsent}});
  ASSERT_EQ(reply.status, 201) << reply.raw;
  EXPECT_TRUE(reply.body["created"].get<bool>());
  EXPECT_EQ(reply.body["account"]["phone_masked"], "138****8000");
  EXPECT_EQ(reply.body["account"]["roles"], json::array({"viewer"}));
  ApiReply me = api.get("/api/v1/me", reply.body["token"]);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.body["id"], reply.body["account"]["id"]);
}

TEST_P(Registration, KnownNumberLogsInToTheSameAccount) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string first = api.register_user("13800138001");
  std::string id = api.get("/api/v1/me", first).body["id"];
  api.advance_clock_seconds(61);  // past the resend interval
  api.post("/api/v1/auth/code", {{"phone", "13800138001"}, {"policy_version", "1.0.0"}});
  ApiReply again = api.post("/api/v1/auth/verify", {{"phone", "13800138001"}, {"code", api.latest_code("13800138001")}});
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_FALSE(again.body["created"].get<bool>());
  EXPECT_EQ(again.body["account"]["id"], id);
}

TEST_P(Registration, CodeWithoutPolicyAcceptanceIsRefusedAndNothingIsStored) {
  VEIL_START_API_SERVER(api, GetParam());
  auto before = api.row_counts();
  ApiReply reply = api.post("/api/v1/auth/code", {{"phone", "13800138002"}});
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.error_code(), "policy_not_accepted");
  EXPECT_EQ(api.row_counts(), before);
}

TEST_P(Registration, NewAccountWithoutConsentIsRefusedButTheCodeStaysUsable) {
  VEIL_START_API_SERVER(api, GetParam());
  api.post("/api/v1/auth/code", {{"phone", "13800138003"}, {"policy_version", "1.0.0"}});
  std::string code = api.latest_code("13800138003");
  ApiReply refused = api.post("/api/v1/auth/verify", {{"phone", "13800138003"}, {"code", code}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "consent_required");
  EXPECT_EQ(api.row_counts()["accounts"], 0);
  ApiReply accepted = api.post("/api/v1/auth/verify", {{"phone", "13800138003"}, {"code", code}, {"consent", kConsent}});
  EXPECT_EQ(accepted.status, 201) << accepted.raw;
}

TEST_P(Registration, ConsentWithoutTheNecessaryPurposeIsRefused) {
  VEIL_START_API_SERVER(api, GetParam());
  api.post("/api/v1/auth/code", {{"phone", "13800138004"}, {"policy_version", "1.0.0"}});
  ApiReply reply = api.post("/api/v1/auth/verify", {{"phone", "13800138004"}, {"code", api.latest_code("13800138004")},
                                                     {"consent", {{"policy_version", "1.0.0"}, {"purposes", {"profile"}}}}});
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.error_code(), "consent_required");
  EXPECT_EQ(api.row_counts()["accounts"], 0);
}

TEST_P(Registration, CodeExpiresAfterFiveMinutes) {
  VEIL_START_API_SERVER(api, GetParam());
  api.post("/api/v1/auth/code", {{"phone", "13800138005"}, {"policy_version", "1.0.0"}});
  std::string code = api.latest_code("13800138005");
  api.advance_clock_seconds(301);
  ApiReply reply = api.post("/api/v1/auth/verify", {{"phone", "13800138005"}, {"code", code}, {"consent", kConsent}});
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.error_code(), "code_expired");
  EXPECT_EQ(api.row_counts()["accounts"], 0);
}

TEST_P(Registration, FiveWrongGuessesBurnTheCode) {
  VEIL_START_API_SERVER(api, GetParam());
  api.post("/api/v1/auth/code", {{"phone", "13800138006"}, {"policy_version", "1.0.0"}});
  std::string code = api.latest_code("13800138006");
  std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(api.post("/api/v1/auth/verify", {{"phone", "13800138006"}, {"code", wrong}, {"consent", kConsent}}).error_code(), "code_invalid");
  EXPECT_EQ(api.post("/api/v1/auth/verify", {{"phone", "13800138006"}, {"code", wrong}, {"consent", kConsent}}).error_code(),
            "code_attempts_exceeded");
  ApiReply right = api.post("/api/v1/auth/verify", {{"phone", "13800138006"}, {"code", code}, {"consent", kConsent}});
  EXPECT_EQ(right.status, 429);
  EXPECT_EQ(right.error_code(), "code_attempts_exceeded");
}

TEST_P(Registration, ACodeWorksOnlyOnce) {
  VEIL_START_API_SERVER(api, GetParam());
  api.post("/api/v1/auth/code", {{"phone", "13800138007"}, {"policy_version", "1.0.0"}});
  std::string code = api.latest_code("13800138007");
  EXPECT_EQ(api.post("/api/v1/auth/verify", {{"phone", "13800138007"}, {"code", code}, {"consent", kConsent}}).status, 201);
  EXPECT_EQ(api.post("/api/v1/auth/verify", {{"phone", "13800138007"}, {"code", code}}).error_code(), "code_invalid");
}

TEST_P(Registration, ResendingWithinAMinuteIsRateLimitedPerPhone) {
  VEIL_START_API_SERVER(api, GetParam());
  EXPECT_EQ(api.post("/api/v1/auth/code", {{"phone", "13800138008"}, {"policy_version", "1.0.0"}}).status, 202);
  ApiReply again = api.post("/api/v1/auth/code", {{"phone", "13800138008"}, {"policy_version", "1.0.0"}});
  EXPECT_EQ(again.status, 429);
  EXPECT_EQ(again.error_code(), "rate_limited");
  const int wait = again.body["error"].value("retry_after", 0);
  EXPECT_GT(wait, 0);
  EXPECT_LE(wait, 60) << "one code a minute per phone";
  api.advance_clock_seconds(61);
  EXPECT_EQ(api.post("/api/v1/auth/code", {{"phone", "13800138008"}, {"policy_version", "1.0.0"}}).status, 202);
}

TEST_P(Registration, OneAddressCannotRequestCodesForManyNumbers) {
  VEIL_START_API_SERVER(api, GetParam());
  int accepted = 0, limited = 0;
  for (int i = 0; i < 25; ++i) {
    ApiReply r = api.post("/api/v1/auth/code", {{"phone", "1390000" + std::to_string(1000 + i)}, {"policy_version", "1.0.0"}});
    if (r.status == 202) ++accepted;
    if (r.status == 429) ++limited;
  }
  EXPECT_EQ(accepted, 20);
  EXPECT_EQ(limited, 5);
}

TEST_P(Registration, LogoutEndsTheSession) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13800138009");
  EXPECT_EQ(api.call("POST", "/api/v1/auth/logout", std::nullopt, token).status, 204);
  ApiReply me = api.get("/api/v1/me", token);
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.error_code(), "session_invalid");
}

TEST_P(Registration, SessionsExpireAfterThirtyDays) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13800138010");
  api.advance_clock_seconds(29 * 24 * 3600);
  EXPECT_EQ(api.get("/api/v1/me", token).status, 200);
  api.advance_clock_seconds(2 * 24 * 3600);
  EXPECT_EQ(api.get("/api/v1/me", token).status, 401);
}

TEST_P(Registration, OptionalPasswordLogsInAndAWrongOneDoesNot) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13800138011");
  EXPECT_EQ(api.call("PUT", "/api/v1/me/password", json{{"password", "short"}}, token).error_code(), "password_too_short");
  EXPECT_EQ(api.call("PUT", "/api/v1/me/password", json{{"password", "correct horse battery"}}, token).status, 204);
  EXPECT_TRUE(api.get("/api/v1/me", token).body["has_password"].get<bool>());
  ApiReply wrong = api.post("/api/v1/auth/password-login", {{"phone", "13800138011"}, {"password", "wrong password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.error_code(), "credentials_invalid");
  ApiReply unknown = api.post("/api/v1/auth/password-login", {{"phone", "13800138099"}, {"password", "correct horse battery"}});
  EXPECT_EQ(unknown.error_code(), "credentials_invalid");  // same answer: no account enumeration
  ApiReply right = api.post("/api/v1/auth/password-login", {{"phone", "13800138011"}, {"password", "correct horse battery"}});
  EXPECT_EQ(right.status, 200) << right.raw;
  EXPECT_FALSE(right.body["token"].get<std::string>().empty());
}

TEST_P(Registration, RolesAreAddedAndDroppedOneByOne) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13800138012");
  api.post("/api/v1/me/roles", {{"role", "recruiter"}}, token);
  ApiReply both = api.post("/api/v1/me/roles", {{"role", "job_seeker"}}, token);
  EXPECT_EQ(both.body["roles"], json::array({"job_seeker", "recruiter", "viewer"}));
  // A streamer is made by an approved application, never chosen.
  EXPECT_EQ(api.post("/api/v1/me/roles", {{"role", "streamer"}}, token).error_code(), "role_unknown");
  ApiReply dropped = api.call("DELETE", "/api/v1/me/roles/recruiter", std::nullopt, token);
  EXPECT_EQ(dropped.body["roles"], json::array({"job_seeker", "viewer"}));
  EXPECT_EQ(api.post("/api/v1/me/roles", {{"role", "emperor"}}, token).error_code(), "role_unknown");
}

VEIL_ON_BOTH_BACKENDS(Registration);

}  // namespace
}  // namespace veil::test
