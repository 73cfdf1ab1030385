// The room channel (C3–C5; [000] 进入直播间展示资料卡、离开即移除; 用户评论/提问) over a real
// WebSocket: anonymous viewers leave nothing behind, signed-in viewers appear with their card,
// comments need a login, rate limits and slow mode hold, and a reconnecting viewer resumes.
#include <gtest/gtest.h>

#include "app/live_fixtures.hpp"
#include "app/room_client.hpp"
#include "engine/retention/retention_sweeper.hpp"
#include "modules/live/room_messages.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class RoomChannel : public ::testing::TestWithParam<store::Backend> {};

struct LiveRoom {
  std::string host, id;
};

LiveRoom live_room(ApiServer& api, const std::string& phone) {
  LiveRoom r;
  r.host = make_streamer(api, phone);
  r.id = api.post("/api/v1/rooms", {{"title", "频道测试"}}, r.host).body["room"]["id"];
  api.post("/api/v1/rooms/" + r.id + "/live", json::object(), r.host);
  return r;
}

std::unique_ptr<RoomClient> anonymous(ApiServer& api, const std::string& room) {
  auto c = std::make_unique<RoomClient>(api.port(), room);
  c->send({{"type", "join"}, {"ticket", api.post("/api/v1/rooms/" + room + "/watch", json::object()).body["token"]}});
  return c;
}

std::unique_ptr<RoomClient> signed_in(ApiServer& api, const std::string& room, const std::string& token,
                                      std::optional<std::int64_t> resume = std::nullopt) {
  auto c = std::make_unique<RoomClient>(api.port(), room);
  json join = {{"type", "join"}, {"session", token}};
  if (resume) join["resume_after"] = *resume;
  c->send(join);
  return c;
}

std::string viewer_with_nickname(ApiServer& api, const std::string& phone, const std::string& nickname) {
  std::string token = api.register_user(phone, {"login", "profile"});
  api.call("PATCH", "/api/v1/me/profile", json{{"nickname", nickname}, {"industry", "教育"}}, token);
  return token;
}

TEST_P(RoomChannel, AnonymousViewersAreCountedAndLeaveNothingBehind) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom room = live_room(api, "13100131000");
  auto before = api.row_counts();
  auto first = anonymous(api, room.id);
  auto welcome = first->next("welcome");
  ASSERT_TRUE(welcome) << "no welcome";
  EXPECT_EQ((*welcome)["viewers"], 1);
  EXPECT_TRUE((*welcome)["presence"].empty());
  auto second = anonymous(api, room.id);
  ASSERT_TRUE(second->next("welcome"));
  std::optional<json> count;
  while ((count = first->next("viewers")) && (*count)["count"] != 2) {}
  ASSERT_TRUE(count) << "the first viewer never saw the count reach 2";
  EXPECT_EQ(api.get("/api/v1/rooms/" + room.id).body["room"]["viewers"], 2);
  second.reset();
  while ((count = first->next("viewers")) && (*count)["count"] != 1) {}
  ASSERT_TRUE(count) << "the count did not drop when a viewer left";
  EXPECT_EQ(api.row_counts(), before);
}

TEST_P(RoomChannel, ASignedInViewerAppearsWithTheConfiguredCardAndLeavingRemovesIt) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom room = live_room(api, "13100131001");
  auto watcher = anonymous(api, room.id);
  ASSERT_TRUE(watcher->next("welcome"));
  std::string token = viewer_with_nickname(api, "13100131002", "小明");
  auto viewer = signed_in(api, room.id, token);
  ASSERT_TRUE(viewer->next("welcome"));
  auto entered = watcher->next("presence");
  ASSERT_TRUE(entered);
  EXPECT_EQ((*entered)["action"], "enter");
  EXPECT_EQ((*entered)["card"]["nickname"], "小明");
  EXPECT_FALSE((*entered)["card"].contains("industry")) << "only the operator's card fields";
  std::string account = api.get("/api/v1/me", token).body["id"];
  EXPECT_EQ(entered->dump().find(account), std::string::npos) << "the card never carries the account id";
  EXPECT_EQ(entered->dump().find("13100131002"), std::string::npos);
  // A newcomer sees the card in its welcome.
  auto late = anonymous(api, room.id);
  auto late_welcome = late->next("welcome");
  ASSERT_TRUE(late_welcome);
  ASSERT_EQ((*late_welcome)["presence"].size(), 1u);
  viewer.reset();
  auto left = watcher->next("presence");
  ASSERT_TRUE(left);
  EXPECT_EQ((*left)["action"], "leave");
  EXPECT_EQ((*left)["viewer"], (*entered)["card"]["viewer"]);
}

TEST_P(RoomChannel, CommentsAndQuestionsNeedALoginAndReachEveryone) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom room = live_room(api, "13100131003");
  auto watcher = anonymous(api, room.id);
  ASSERT_TRUE(watcher->next("welcome"));
  watcher->send({{"type", "comment"}, {"text", "匿名发言"}});
  auto refused = watcher->next("error");
  ASSERT_TRUE(refused);
  EXPECT_EQ((*refused)["error"]["code"], "login_required");
  EXPECT_FALSE((*refused)["error"]["message"]["zh-CN"].get<std::string>().empty());

  auto viewer = signed_in(api, room.id, viewer_with_nickname(api, "13100131004", "提问者"));
  ASSERT_TRUE(viewer->next("welcome"));
  viewer->send({{"type", "question"}, {"text", "  简历怎么写？ "}});
  auto question = watcher->next("question");
  ASSERT_TRUE(question);
  EXPECT_EQ((*question)["text"], "简历怎么写？");
  EXPECT_EQ((*question)["author"]["nickname"], "提问者");
  EXPECT_GT((*question)["seq"].get<std::int64_t>(), 0);
  ASSERT_TRUE(viewer->next("question")) << "the author sees it too";
  EXPECT_EQ(api.row_counts()["room_messages"], 1);
}

TEST_P(RoomChannel, FloodsLongMessagesAndSlowModeAreRefused) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom room = live_room(api, "13100131005");
  auto viewer = signed_in(api, room.id, viewer_with_nickname(api, "13100131006", "话痨"));
  ASSERT_TRUE(viewer->next("welcome"));
  viewer->send({{"type", "comment"}, {"text", std::string(301, 'a')}});
  EXPECT_EQ((*viewer->next("error"))["error"]["code"], "message_too_long");
  viewer->send_raw("{not json");
  EXPECT_EQ((*viewer->next("error"))["error"]["code"], "json_malformed");
  for (int i = 0; i < live::RoomMessages::kBurst; ++i) viewer->send({{"type", "comment"}, {"text", "第" + std::to_string(i) + "条"}});
  viewer->send({{"type", "comment"}, {"text", "再来一条"}});
  auto limited = viewer->next("error");
  ASSERT_TRUE(limited);
  EXPECT_EQ((*limited)["error"]["code"], "message_rate_limited");
  EXPECT_GT((*limited)["error"].value("retry_after", 0), 0) << "the client is told when it may post again";
  EXPECT_EQ(api.row_counts()["room_messages"], live::RoomMessages::kBurst);

  api.call("PATCH", "/api/v1/rooms/" + room.id, json{{"settings", {{"slow_mode_seconds", 60}}}}, room.host);
  api.advance_clock_seconds(20);
  auto other = signed_in(api, room.id, viewer_with_nickname(api, "13100131007", "慢慢说"));
  ASSERT_TRUE(other->next("welcome"));
  other->send({{"type", "comment"}, {"text", "第一条"}});
  ASSERT_TRUE(other->next("comment"));
  other->send({{"type", "comment"}, {"text", "第二条"}});
  auto slow = other->next("error");
  ASSERT_TRUE(slow);
  EXPECT_EQ((*slow)["error"]["code"], "slow_mode");
  EXPECT_GT((*slow)["error"].value("retry_after", 0), 0);
  EXPECT_LE((*slow)["error"].value("retry_after", 0), 60);
}

TEST_P(RoomChannel, CommentingCanRequireRealName) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom room = live_room(api, "13100131008");
  api.call("PATCH", "/api/v1/rooms/" + room.id, json{{"settings", {{"comments_need_real_name", true}}}}, room.host);
  auto viewer = signed_in(api, room.id, viewer_with_nickname(api, "13100131009", "未实名"));
  ASSERT_TRUE(viewer->next("welcome"));
  viewer->send({{"type", "comment"}, {"text", "你好"}});
  EXPECT_EQ((*viewer->next("error"))["error"]["code"], "real_name_required");
  auto host = signed_in(api, room.id, room.host);
  ASSERT_TRUE(host->next("welcome"));
  host->send({{"type", "comment"}, {"text", "欢迎大家"}});
  EXPECT_TRUE(viewer->next("comment")) << "a verified person may comment";
}

TEST_P(RoomChannel, AReconnectingViewerResumesWhatItMissed) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom room = live_room(api, "13100131010");
  std::string token = viewer_with_nickname(api, "13100131011", "断线者");
  auto talker = signed_in(api, room.id, viewer_with_nickname(api, "13100131012", "发言者"));
  ASSERT_TRUE(talker->next("welcome"));
  auto viewer = signed_in(api, room.id, token);
  ASSERT_TRUE(viewer->next("welcome"));
  talker->send({{"type", "comment"}, {"text", "一"}});
  auto one = viewer->next("comment");
  ASSERT_TRUE(one);
  std::int64_t seen = (*one)["seq"];
  viewer.reset();
  talker->send({{"type", "comment"}, {"text", "二"}});
  talker->send({{"type", "comment"}, {"text", "三"}});
  ASSERT_TRUE(talker->next("comment"));
  ASSERT_TRUE(talker->next("comment"));
  auto back = signed_in(api, room.id, token, seen);
  auto welcome = back->next("welcome");
  ASSERT_TRUE(welcome);
  EXPECT_TRUE((*welcome)["resumed"].get<bool>());
  auto two = back->next("comment"), three = back->next("comment");
  ASSERT_TRUE(two && three);
  EXPECT_EQ((*two)["text"], "二");
  EXPECT_EQ((*three)["text"], "三");
  EXPECT_LT((*two)["seq"].get<std::int64_t>(), (*three)["seq"].get<std::int64_t>());
}

TEST_P(RoomChannel, ABusyRoomsPairedEventsReachEveryViewerWholeAndInOrder) {
  // Three connections make this room busy: its events travel in rounds, two frames to a write.
  VEIL_START_API_SERVER(api, GetParam(), true, [](app::Config& c) { c.rounds = {3, std::chrono::milliseconds(1000)}; });
  LiveRoom room = live_room(api, "13100131020");
  auto first = anonymous(api, room.id), second = anonymous(api, room.id);
  ASSERT_TRUE(first->next("welcome") && second->next("welcome"));
  auto author = signed_in(api, room.id, viewer_with_nickname(api, "13100131021", "连发"));
  ASSERT_TRUE(author->next("welcome"));
  for (int i = 1; i <= 4; ++i) author->send({{"type", "comment"}, {"text", "第" + std::to_string(i) + "条"}});
  for (auto* viewer : {first.get(), second.get(), author.get()}) {
    std::int64_t last_seq = 0;
    for (int i = 1; i <= 4; ++i) {
      auto comment = viewer->next("comment");
      ASSERT_TRUE(comment) << "comment " << i;
      EXPECT_EQ((*comment)["text"], "第" + std::to_string(i) + "条");
      EXPECT_GT((*comment)["seq"].get<std::int64_t>(), last_seq);
      last_seq = (*comment)["seq"];
    }
  }
}

// [000] (3): live interaction records are kept 60 days; the sweeper deletes them then, not before.
TEST_P(RoomChannel, ChatMessagesAreDeletedSixtyDaysAfterTheyWereWritten) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom room = live_room(api, "13100131030");
  auto viewer = signed_in(api, room.id, viewer_with_nickname(api, "13100131031", "留言者"));
  ASSERT_TRUE(viewer->next("welcome"));
  viewer->send({{"type", "comment"}, {"text", "六十天后删除"}});
  ASSERT_TRUE(viewer->next("comment"));
  auto sweep = [&] {
    auto& p = api.platform();
    return engine::sweep_expired(p.db(), p.engine().map(), p.engine().audit(), p.clock().now());
  };
  api.advance_clock_seconds(60 * 24 * 3600 - 60);
  ASSERT_TRUE(sweep().ok());
  EXPECT_EQ(api.row_counts()["room_messages"], 1) << "a minute short of 60 days";
  api.advance_clock_seconds(60);
  auto swept = sweep();
  ASSERT_TRUE(swept.ok()) << swept.error().detail;
  EXPECT_EQ(swept->rows_deleted["room_messages"], 1);
  EXPECT_EQ(api.row_counts()["room_messages"], 0);
  EXPECT_GE(api.audit_count("retention.swept"), 1);
}

TEST_P(RoomChannel, EndingTheLiveClosesTheChannelAndFloodingEndsAConnection) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom room = live_room(api, "13100131013");
  auto watcher = anonymous(api, room.id);
  ASSERT_TRUE(watcher->next("welcome"));
  auto flooder = anonymous(api, room.id);
  ASSERT_TRUE(flooder->next("welcome"));
  for (int i = 0; i < 30; ++i) flooder->send({{"type", "ping"}});
  std::optional<json> error;
  while ((error = flooder->next("error")) && (*error)["error"]["code"] != "channel_flooding") {}
  ASSERT_TRUE(error) << "no flooding error";
  EXPECT_FALSE(flooder->next("never-sent", std::chrono::seconds(3)));
  EXPECT_TRUE(flooder->closed()) << "a flood ends the connection";
  ASSERT_EQ(api.post("/api/v1/rooms/" + room.id + "/end", json::object(), room.host).status, 200);
  EXPECT_TRUE(watcher->next("ended"));
  EXPECT_FALSE(watcher->next("anything", std::chrono::seconds(3)));
  EXPECT_TRUE(watcher->closed());
  auto late = anonymous(api, room.id);
  EXPECT_EQ(late->next("error")->at("error").at("code"), "room_ended");
}

VEIL_ON_BOTH_BACKENDS(RoomChannel);

}  // namespace
}  // namespace veil::test
