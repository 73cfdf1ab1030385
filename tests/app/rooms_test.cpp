// Rooms (C1–C3): an approved, verified streamer creates, schedules, goes live and ends; each live
// session issues short-lived publish credentials the media pipeline checks; watching needs no
// account and stores nothing.
#include <gtest/gtest.h>

#include <chrono>

#include "app/live_fixtures.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Rooms : public ::testing::TestWithParam<store::Backend> {};

ApiReply publish_check(ApiServer& api, const std::string& room, const std::string& token) {
  return api.post("/api/v1/media/publish-check", {{"room_id", room}, {"token", token}});
}

TEST_P(Rooms, ScheduleGoLiveAndEndWithAPublishCredentialThatEndsWithTheSession) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13200132000");
  std::int64_t in_an_hour = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count() + 3'600'000;
  ApiReply created = api.post("/api/v1/rooms", {{"title", "晚间歌会"}, {"mode", "voice"}, {"scheduled_at", in_an_hour}}, host);
  ASSERT_EQ(created.status, 201) << created.raw;
  std::string room = created.body["room"]["id"];
  EXPECT_EQ(created.body["room"]["status"], "scheduled");
  EXPECT_EQ(created.body["room"]["mode"], "voice");
  EXPECT_EQ(created.body["room"]["scheduled_at"], in_an_hour);
  EXPECT_EQ(api.get("/api/v1/rooms?status=scheduled").body["rooms"].size(), 1u);
  EXPECT_EQ(api.get("/api/v1/rooms?status=live").body["rooms"].size(), 0u);

  ApiReply live = api.post("/api/v1/rooms/" + room + "/live", json::object(), host);
  ASSERT_EQ(live.status, 200) << live.raw;
  EXPECT_EQ(live.body["room"]["status"], "live");
  std::string token = live.body["publish"]["token"];
  EXPECT_EQ(api.post("/api/v1/rooms/" + room + "/live", json::object(), host).error_code(), "room_live");
  ApiReply listed = api.get("/api/v1/rooms?status=live");
  ASSERT_EQ(listed.body["rooms"].size(), 1u);
  EXPECT_EQ(listed.body["rooms"][0]["id"], room);

  ApiReply checked = publish_check(api, room, token);
  ASSERT_EQ(checked.status, 200) << checked.raw;
  EXPECT_EQ(checked.body["role"], "host");
  EXPECT_FALSE(checked.body["masked"].get<bool>());
  EXPECT_EQ(publish_check(api, "another-room", token).error_code(), "publish_denied");
  EXPECT_EQ(publish_check(api, room, "forged-token").error_code(), "publish_denied");

  ASSERT_EQ(api.post("/api/v1/rooms/" + room + "/end", json::object(), host).status, 200);
  EXPECT_EQ(publish_check(api, room, token).status, 403) << "ending revokes every credential";
  EXPECT_EQ(api.post("/api/v1/rooms/" + room + "/live", json::object(), host).error_code(), "room_ended");
  EXPECT_EQ(api.get("/api/v1/rooms").body["rooms"].size(), 0u);
}

TEST_P(Rooms, GoingLiveNeedsAnApprovedStreamerWithRealNameVerification) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string viewer = api.register_user("13200132001");
  EXPECT_EQ(api.post("/api/v1/rooms", {{"title", "我的直播"}}, viewer).error_code(), "streamer_required");
  std::string unverified = make_streamer(api, "13200132002", false);
  ApiReply created = api.post("/api/v1/rooms", {{"title", "我的直播"}}, unverified);
  ASSERT_EQ(created.status, 201);
  std::string room = created.body["room"]["id"];
  ApiReply refused = api.post("/api/v1/rooms/" + room + "/live", json::object(), unverified);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "real_name_required");
  EXPECT_EQ(api.get("/api/v1/rooms/" + room).body["room"]["status"], "scheduled");
}

TEST_P(Rooms, AnotherPersonsRoomCannotBeChangedOrStarted) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13200132003", true, 301);
  std::string other = make_streamer(api, "13200132004", true, 302);
  std::string room = api.post("/api/v1/rooms", {{"title", "主播一的直播间"}}, host).body["room"]["id"];
  EXPECT_EQ(api.call("PATCH", "/api/v1/rooms/" + room, json{{"title", "抢来的"}}, other).error_code(), "room_not_found");
  EXPECT_EQ(api.post("/api/v1/rooms/" + room + "/live", json::object(), other).error_code(), "room_not_found");
  ASSERT_EQ(api.post("/api/v1/rooms/" + room + "/live", json::object(), host).status, 200);
  EXPECT_EQ(api.post("/api/v1/rooms/" + room + "/end", json::object(), other).error_code(), "room_not_found");
  EXPECT_EQ(api.post("/api/v1/rooms/" + room + "/publish-credential", json::object(), other).error_code(), "publish_denied");
  EXPECT_EQ(api.get("/api/v1/rooms/" + room).body["room"]["title"], "主播一的直播间");
}

TEST_P(Rooms, CredentialsExpireAndARefreshRetiresTheOldOne) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13200132005");
  std::string room = api.post("/api/v1/rooms", {{"title", "长时间直播"}}, host).body["room"]["id"];
  std::string first = api.post("/api/v1/rooms/" + room + "/live", json::object(), host).body["publish"]["token"];
  ApiReply refreshed = api.post("/api/v1/rooms/" + room + "/publish-credential", json::object(), host);
  ASSERT_EQ(refreshed.status, 200);
  std::string second = refreshed.body["publish"]["token"];
  EXPECT_EQ(publish_check(api, room, first).error_code(), "publish_denied");
  EXPECT_EQ(publish_check(api, room, second).status, 200);
  api.advance_clock_seconds(11 * 60);
  EXPECT_EQ(publish_check(api, room, second).error_code(), "publish_denied") << "ten minutes at most";
  std::string third = api.post("/api/v1/rooms/" + room + "/publish-credential", json::object(), host).body["publish"]["token"];
  EXPECT_EQ(publish_check(api, room, third).status, 200);
}

TEST_P(Rooms, WatchingNeedsNoAccountAndStoresNothing) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13200132006");
  std::string room = api.post("/api/v1/rooms", {{"title", "公开课"}}, host).body["room"]["id"];
  api.post("/api/v1/rooms/" + room + "/live", json::object(), host);
  auto before = api.row_counts();
  ApiReply watched = api.post("/api/v1/rooms/" + room + "/watch", json::object());
  ASSERT_EQ(watched.status, 200);
  EXPECT_EQ(api.get("/api/v1/rooms/" + room).status, 200);
  EXPECT_EQ(api.row_counts(), before);
  std::string token = watched.body["token"];
  auto& rooms = api.platform().rooms();
  EXPECT_TRUE(rooms.check_watch_token(room, token).ok());
  EXPECT_FALSE(rooms.check_watch_token("other", token).ok());
  std::string tampered = token;
  tampered[tampered.size() - 1] = tampered.back() == 'a' ? 'b' : 'a';
  EXPECT_EQ(rooms.check_watch_token(room, tampered).error().reason, "watch_token_invalid");
  EXPECT_EQ(api.post("/api/v1/rooms/nope/watch", json::object()).error_code(), "room_not_found");
}

TEST_P(Rooms, BadRoomRequestsAreRefusedAndNothingIsStored) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13200132007");
  auto before = api.row_counts();
  EXPECT_EQ(api.post("/api/v1/rooms", {{"title", "x"}}, host).error_code(), "room_title_invalid");
  EXPECT_EQ(api.post("/api/v1/rooms", {{"title", "正常标题"}, {"mode", "hologram"}}, host).error_code(), "room_mode_invalid");
  EXPECT_EQ(api.post("/api/v1/rooms", {{"title", "正常标题"}, {"scheduled_at", 1000}}, host).error_code(), "room_schedule_invalid");
  EXPECT_EQ(api.post("/api/v1/rooms", {{"title", "正常标题"}}).status, 401);
  EXPECT_EQ(api.row_counts(), before);
  std::string room = api.post("/api/v1/rooms", {{"title", "正常标题"}}, host).body["room"]["id"];
  EXPECT_EQ(api.call("PATCH", "/api/v1/rooms/" + room, json{{"settings", {{"slow_mode_seconds", 9999}}}}, host).error_code(),
            "room_settings_invalid");
  ApiReply set = api.call("PATCH", "/api/v1/rooms/" + room, json{{"settings", {{"slow_mode_seconds", 10}, {"comments_need_real_name", true}}}}, host);
  ASSERT_EQ(set.status, 200);
  EXPECT_EQ(set.body["room"]["settings"]["slow_mode_seconds"], 10);
}

VEIL_ON_BOTH_BACKENDS(Rooms);

}  // namespace
}  // namespace veil::test
