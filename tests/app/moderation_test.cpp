// Moderation (C12; [004] 违规处理): reports, mutes, kicks, bans room-wide and platform-wide,
// deleted messages, penalty notices, and the audit trail; a banned person cannot come back.
#include <gtest/gtest.h>

#include "app/live_fixtures.hpp"
#include "app/room_client.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Moderation : public ::testing::TestWithParam<store::Backend> {};

struct Live {
  std::string host, room;
};

Live go_live(ApiServer& api, const std::string& phone) {
  Live l{make_streamer(api, phone), ""};
  l.room = api.post("/api/v1/rooms", {{"title", "管理测试"}}, l.host).body["room"]["id"];
  api.post("/api/v1/rooms/" + l.room + "/live", json::object(), l.host);
  return l;
}

std::unique_ptr<RoomClient> join(ApiServer& api, const std::string& room, const std::string& token) {
  auto c = std::make_unique<RoomClient>(api.port(), room);
  c->send({{"type", "join"}, {"session", token}});
  return c;
}

TEST_P(Moderation, TheHostDeletesAMessageMutesAndBansAndTheBannedCannotReturn) {
  VEIL_START_API_SERVER(api, GetParam());
  Live live = go_live(api, "13900139000");
  std::string troll = api.register_user("13900139001");
  auto watcher = join(api, live.room, live.host);
  ASSERT_TRUE(watcher->next("welcome"));
  auto bad = join(api, live.room, troll);
  ASSERT_TRUE(bad->next("welcome"));
  bad->send({{"type", "comment"}, {"text", "广告：加微信"}});
  auto comment = watcher->next("comment");
  ASSERT_TRUE(comment);
  std::string message = (*comment)["id"];
  std::string moderation = "/api/v1/rooms/" + live.room + "/moderation";

  std::string bystander = api.register_user("13900139002");
  EXPECT_EQ(api.post(moderation, {{"action", "delete_message"}, {"message_id", message}}, bystander).error_code(), "moderator_required");
  ASSERT_EQ(api.post(moderation, {{"action", "delete_message"}, {"message_id", message}}, live.host).status, 204);
  auto deleted = watcher->next("message_deleted");
  ASSERT_TRUE(deleted);
  EXPECT_EQ((*deleted)["id"], message);

  EXPECT_EQ(api.post(moderation, {{"action", "mute"}, {"message_id", message}}, live.host).error_code(), "moderation_reason_required");
  ASSERT_EQ(api.post(moderation, {{"action", "mute"}, {"message_id", message}, {"minutes", 10}, {"reason", "发布广告"}}, live.host).status, 201);
  bad->send({{"type", "comment"}, {"text", "再发一次"}});
  EXPECT_EQ((*bad->next("error"))["error"]["code"], "muted");
  api.advance_clock_seconds(11 * 60);
  bad->send({{"type", "comment"}, {"text", "我改了"}});
  ASSERT_TRUE(watcher->next("comment")) << "the mute ends when its time is up";

  ApiReply ban = api.post(moderation, {{"action", "ban"}, {"message_id", message}, {"reason", "屡次发布广告"}}, live.host);
  ASSERT_EQ(ban.status, 201) << ban.raw;
  auto removed = bad->next("removed");
  ASSERT_TRUE(removed);
  EXPECT_EQ((*removed)["kind"], "ban");
  auto again = join(api, live.room, troll);
  EXPECT_EQ((*again->next("error"))["error"]["code"], "banned");

  ApiReply notices = api.get("/api/v1/me/notices", troll);
  ASSERT_EQ(notices.body["notices"].size(), 2u);
  EXPECT_EQ(notices.body["notices"][0]["kind"], "penalty");
  EXPECT_EQ(notices.body["notices"][0]["body"]["kind"], "ban");
  EXPECT_EQ(notices.body["notices"][0]["body"]["reason"], "屡次发布广告");
  EXPECT_EQ(api.audit_count("moderation.message_deleted"), 1);
  EXPECT_EQ(api.audit_count("moderation.mute"), 1);
  EXPECT_EQ(api.audit_count("moderation.ban"), 1);

  // Lifting the ban lets them back in.
  ASSERT_EQ(api.call("DELETE", "/api/v1/penalties/" + ban.body["penalty"]["id"].get<std::string>(), std::nullopt, live.host).status, 204);
  auto back = join(api, live.room, troll);
  EXPECT_TRUE(back->next("welcome"));
}

TEST_P(Moderation, TheHostKicksAViewerByTheirCardAndCannotPenaliseOutsideTheirRoom) {
  VEIL_START_API_SERVER(api, GetParam());
  Live live = go_live(api, "13900139003");
  Live other = go_live(api, "13900139004");
  std::string viewer = api.register_user("13900139005");
  auto host = join(api, live.room, live.host);
  ASSERT_TRUE(host->next("welcome"));
  auto guest = join(api, live.room, viewer);
  auto welcome = guest->next("welcome");
  ASSERT_TRUE(welcome);
  std::string card = (*welcome)["viewer"];
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/moderation", {{"action", "kick"}, {"viewer", card}, {"reason", "刷屏"}}, other.host)
                .error_code(),
            "moderator_required");
  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/moderation", {{"action", "kick"}, {"viewer", card}, {"reason", "刷屏"}}, live.host).status,
            204);
  EXPECT_TRUE(guest->next("removed"));
  EXPECT_FALSE(guest->next("never", std::chrono::seconds(2)));
  EXPECT_TRUE(guest->closed());
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/moderation", {{"action", "kick"}, {"viewer", card}, {"reason", "刷屏"}}, live.host)
                .error_code(),
            "viewer_not_here");
  EXPECT_TRUE(join(api, live.room, viewer)->next("welcome")) << "a kick is not a ban";
}

TEST_P(Moderation, AReportReachesStaffWhoBanPlatformWideAndThePublicNoticeNamesNoOne) {
  VEIL_START_API_SERVER(api, GetParam());
  Live live = go_live(api, "13900139006");
  Live elsewhere = go_live(api, "13900139007");
  std::string abuser = api.register_user("13900139008");
  std::string reporter = api.register_user("13900139009");
  auto a = join(api, live.room, abuser);
  ASSERT_TRUE(a->next("welcome"));
  auto r = join(api, live.room, reporter);
  ASSERT_TRUE(r->next("welcome"));
  a->send({{"type", "comment"}, {"text", "辱骂内容"}});
  auto comment = r->next("comment");
  ASSERT_TRUE(comment);
  EXPECT_EQ(api.post("/api/v1/reports", {{"room_id", live.room}, {"message_id", (*comment)["id"]}, {"reason", "rude"}}, reporter).error_code(),
            "report_reason_invalid");
  ApiReply reported = api.post("/api/v1/reports", {{"room_id", live.room}, {"message_id", (*comment)["id"]}, {"reason", "abuse"}}, reporter);
  ASSERT_EQ(reported.status, 201) << reported.raw;

  EXPECT_EQ(api.get("/api/v1/staff/reports", reporter).error_code(), "staff_only");
  std::string staff = make_staff(api, "13900139010");
  ApiReply queue = api.get("/api/v1/staff/reports", staff);
  ASSERT_EQ(queue.body["reports"].size(), 1u);
  EXPECT_EQ(queue.body["reports"][0]["message"]["text"], "辱骂内容");
  std::string id = queue.body["reports"][0]["id"];
  ApiReply banned = api.post("/api/v1/staff/reports/" + id + "/decision", {{"action", "platform_ban"}, {"reason", "辱骂他人"}}, staff);
  ASSERT_EQ(banned.status, 201) << banned.raw;
  EXPECT_EQ(api.post("/api/v1/staff/reports/" + id + "/decision", {{"action", "dismiss"}}, staff).error_code(), "report_closed");
  auto elsewhere_join = join(api, elsewhere.room, abuser);
  EXPECT_EQ((*elsewhere_join->next("error"))["error"]["code"], "banned") << "platform-wide means every room";

  ApiReply notice = api.get("/api/v1/penalties/public");
  ASSERT_EQ(notice.body["penalties"].size(), 1u);
  EXPECT_EQ(notice.body["penalties"][0]["reason"], "辱骂他人");
  std::string abuser_id = api.get("/api/v1/me", abuser).body["id"];
  EXPECT_EQ(notice.raw.find(abuser_id), std::string::npos);
  EXPECT_EQ(api.get("/api/v1/staff/reports?status=actioned", staff).body["reports"].size(), 1u);
}

VEIL_ON_BOTH_BACKENDS(Moderation);

}  // namespace
}  // namespace veil::test
