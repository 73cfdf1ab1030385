// Becoming a streamer (B5; [000] 直播申请): apply with name, scope and introduction → staff review
// → approve or reject with a reason → the applicant is told in the app.
#include <gtest/gtest.h>

#include "app/api_server.hpp"
#include "app/identity_fixtures.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class StreamerApplication : public ::testing::TestWithParam<store::Backend> {};

const json kApplication = {{"name", "刘备"}, {"scope", "career"}, {"intro", "十年招聘经验，分享求职面试技巧。"}};

std::string staff_member(ApiServer& api, const std::string& phone) {
  std::string token = api.register_user(phone);
  std::string id = api.get("/api/v1/me", token).body["id"];
  EXPECT_EQ(api.post("/api/v1/dev/staff", {{"account_id", id}}).status, 204);
  return token;
}

TEST_P(StreamerApplication, StaffApproveAndTheApplicantIsNotifiedAndBecomesAStreamer) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string applicant = api.register_user("13300133000");
  EXPECT_TRUE(api.get("/api/v1/streamer/application", applicant).body["application"].is_null());
  ApiReply applied = api.post("/api/v1/streamer/application", kApplication, applicant);
  ASSERT_EQ(applied.status, 201) << applied.raw;
  EXPECT_EQ(applied.body["application"]["status"], "pending");
  EXPECT_EQ(applied.body["application"]["name"], "刘*");
  EXPECT_EQ(api.post("/api/v1/streamer/application", kApplication, applicant).error_code(), "application_pending");

  EXPECT_EQ(api.get("/api/v1/staff/streamer-applications", applicant).error_code(), "staff_only");
  std::string staff = staff_member(api, "13300133001");
  ApiReply queue = api.get("/api/v1/staff/streamer-applications?status=pending", staff);
  ASSERT_EQ(queue.body["applications"].size(), 1u);
  EXPECT_EQ(queue.body["applications"][0]["name"], "刘备");
  std::string id = queue.body["applications"][0]["id"];
  EXPECT_EQ(api.post("/api/v1/staff/streamer-applications/" + id + "/decision", {{"approve", true}}, applicant).error_code(),
            "staff_only");
  ApiReply decided = api.post("/api/v1/staff/streamer-applications/" + id + "/decision", {{"approve", true}}, staff);
  ASSERT_EQ(decided.status, 200) << decided.raw;
  EXPECT_EQ(api.post("/api/v1/staff/streamer-applications/" + id + "/decision", {{"approve", false}, {"reason", "再想想"}}, staff)
                .error_code(),
            "application_decided");

  ApiReply notices = api.get("/api/v1/me/notices", applicant);
  ASSERT_EQ(notices.body["notices"].size(), 1u);
  EXPECT_EQ(notices.body["notices"][0]["kind"], "streamer_approved");
  EXPECT_EQ(notices.body["unread"], 1);
  EXPECT_EQ(api.get("/api/v1/me", applicant).body["unread_notices"], 1);
  std::string notice = notices.body["notices"][0]["id"];
  EXPECT_EQ(api.post("/api/v1/me/notices/" + notice + "/read", json::object(), staff).status, 404) << "another's notice";
  EXPECT_EQ(api.post("/api/v1/me/notices/" + notice + "/read", json::object(), applicant).status, 204);
  EXPECT_EQ(api.get("/api/v1/me/notices", applicant).body["unread"], 0);
  auto roles = api.get("/api/v1/me", applicant).body["roles"];
  EXPECT_NE(std::find(roles.begin(), roles.end(), "streamer"), roles.end());
  EXPECT_EQ(api.get("/api/v1/streamer/application", applicant).body["application"]["status"], "approved");
  EXPECT_EQ(api.post("/api/v1/streamer/application", kApplication, applicant).error_code(), "already_streamer");
}

TEST_P(StreamerApplication, ARejectionNeedsAReasonWhichTheApplicantReadsAndMayApplyAgain) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string applicant = api.register_user("13300133002");
  std::string staff = staff_member(api, "13300133003");
  std::string id = api.post("/api/v1/streamer/application", kApplication, applicant).body["application"]["id"];
  std::string path = "/api/v1/staff/streamer-applications/" + id + "/decision";
  EXPECT_EQ(api.post(path, {{"approve", false}}, staff).error_code(), "decision_reason_required");
  ASSERT_EQ(api.post(path, {{"approve", false}, {"reason", "介绍不够具体"}}, staff).status, 200);
  ApiReply mine = api.get("/api/v1/streamer/application", applicant);
  EXPECT_EQ(mine.body["application"]["status"], "rejected");
  EXPECT_EQ(mine.body["application"]["reason"], "介绍不够具体");
  ApiReply notices = api.get("/api/v1/me/notices", applicant);
  EXPECT_EQ(notices.body["notices"][0]["kind"], "streamer_rejected");
  EXPECT_EQ(notices.body["notices"][0]["body"]["reason"], "介绍不够具体");
  EXPECT_EQ(api.post("/api/v1/streamer/application", kApplication, applicant).status, 201);
}

TEST_P(StreamerApplication, StaffCannotDecideTheirOwnApplication) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string staff = staff_member(api, "13300133007");
  std::string id = api.post("/api/v1/streamer/application", kApplication, staff).body["application"]["id"];
  EXPECT_EQ(api.post("/api/v1/staff/streamer-applications/" + id + "/decision", {{"approve", true}}, staff).error_code(), "decision_own");
  EXPECT_EQ(api.get("/api/v1/streamer/application", staff).body["application"]["status"], "pending");
}

TEST_P(StreamerApplication, AVerifiedLegalNameIsReusedRatherThanAskedAgain) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string applicant = api.register_user("13300133004", {"login", "real_name"});
  ASSERT_EQ(api.post("/api/v1/me/real-name",
                     {{"name", "诸葛亮"}, {"id_number", resident_id_aged(35)}, {"face_image", face_photo().base64}}, applicant)
                .status,
            200);
  ApiReply applied = api.post("/api/v1/streamer/application", {{"scope", "lecture"}, {"intro", "讲授古代兵法与管理学课程。"}}, applicant);
  ASSERT_EQ(applied.status, 201) << applied.raw;
  EXPECT_EQ(applied.body["application"]["name"], "诸**");
  EXPECT_TRUE(api.get("/api/v1/me", applicant).body["real_name_verified"].get<bool>());
  std::string staff = staff_member(api, "13300133005");
  EXPECT_EQ(api.get("/api/v1/staff/streamer-applications", staff).body["applications"][0]["name"], "诸葛亮");
}

TEST_P(StreamerApplication, BadApplicationsAreRefusedAndNothingIsStored) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string applicant = api.register_user("13300133006");
  auto before = api.row_counts();
  json bad_scope = kApplication, short_intro = kApplication, no_name = kApplication;
  bad_scope["scope"] = "gambling";
  short_intro["intro"] = "hi";
  no_name.erase("name");
  EXPECT_EQ(api.post("/api/v1/streamer/application", bad_scope, applicant).error_code(), "application_scope_invalid");
  EXPECT_EQ(api.post("/api/v1/streamer/application", short_intro, applicant).error_code(), "application_intro_invalid");
  EXPECT_EQ(api.post("/api/v1/streamer/application", no_name, applicant).error_code(), "real_name_invalid");
  EXPECT_EQ(api.post("/api/v1/streamer/application", kApplication).status, 401);
  EXPECT_EQ(api.row_counts(), before);
  EXPECT_EQ(api.post("/api/v1/me/roles", {{"role", "staff"}}, applicant).error_code(), "role_unknown") << "staff is never self-chosen";
}

VEIL_ON_BOTH_BACKENDS(StreamerApplication);

}  // namespace
}  // namespace veil::test
