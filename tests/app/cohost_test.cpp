// Co-hosting (C6; [000] 连麦, 面具连线): a viewer asks, the host decides; approval grants a
// credential for the session (masked: only the host may receive the clear picture); ending revokes.
#include <gtest/gtest.h>

#include "app/live_fixtures.hpp"
#include "app/room_client.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Cohost : public ::testing::TestWithParam<store::Backend> {};

struct Live {
  std::string host, room;
};

Live go_live(ApiServer& api, const std::string& phone) {
  Live l{make_streamer(api, phone), ""};
  l.room = api.post("/api/v1/rooms", {{"title", "连麦测试"}}, l.host).body["room"]["id"];
  api.post("/api/v1/rooms/" + l.room + "/live", json::object(), l.host);
  return l;
}

std::string viewer(ApiServer& api, const std::string& phone, const std::string& nickname) {
  std::string token = api.register_user(phone, {"login", "profile"});
  api.call("PATCH", "/api/v1/me/profile", json{{"nickname", nickname}}, token);
  return token;
}

ApiReply publish_check(ApiServer& api, const std::string& room, const std::string& token) {
  return api.post("/api/v1/media/publish-check", {{"room_id", room}, {"token", token}});
}

TEST_P(Cohost, AnApprovedMaskedCoHostGetsACredentialThatOnlyTheHostSeesUnmasked) {
  VEIL_START_API_SERVER(api, GetParam());
  Live live = go_live(api, "13000130000");
  RoomClient watcher(api.port(), live.room);
  watcher.send({{"type", "join"}, {"ticket", api.post("/api/v1/rooms/" + live.room + "/watch", json::object()).body["token"]}});
  ASSERT_TRUE(watcher.next("welcome"));
  RoomClient host_view(api.port(), live.room);
  host_view.send({{"type", "join"}, {"session", live.host}});
  ASSERT_TRUE(host_view.next("welcome"));
  std::string guest = viewer(api, "13000130001", "面具嘉宾");
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/publish-credential", json::object(), guest).error_code(), "publish_denied")
      << "no grant, no credential";
  ApiReply asked = api.post("/api/v1/rooms/" + live.room + "/cohost-requests", {{"masked", true}}, guest);
  ASSERT_EQ(asked.status, 201) << asked.raw;
  std::string request = asked.body["request"]["id"];
  auto told = host_view.next("cohost_request");
  ASSERT_TRUE(told) << "the host hears of the request at once";
  EXPECT_EQ((*told)["request"]["id"], request);
  EXPECT_FALSE(watcher.next("cohost_request", std::chrono::milliseconds(300))) << "only the host";
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests", {{"masked", false}}, guest).error_code(), "cohost_pending");

  std::string stranger = viewer(api, "13000130002", "路人");
  std::string decision = "/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/decision";
  EXPECT_EQ(api.post(decision, {{"approve", true}}, stranger).error_code(), "room_not_found");
  EXPECT_TRUE(api.get("/api/v1/rooms/" + live.room + "/cohost-requests", stranger).body["requests"].empty());
  ApiReply pending = api.get("/api/v1/rooms/" + live.room + "/cohost-requests", live.host);
  ASSERT_EQ(pending.body["requests"].size(), 1u);
  EXPECT_EQ(pending.body["requests"][0]["card"]["nickname"], "面具嘉宾");

  ASSERT_EQ(api.post(decision, {{"approve", true}}, live.host).status, 200);
  auto on_air = watcher.next("cohost");
  ASSERT_TRUE(on_air);
  EXPECT_EQ((*on_air)["action"], "on_air");
  EXPECT_TRUE((*on_air)["masked"].get<bool>());
  EXPECT_EQ((*on_air)["card"]["nickname"], "面具嘉宾");

  ApiReply credential = api.post("/api/v1/rooms/" + live.room + "/publish-credential", json::object(), guest);
  ASSERT_EQ(credential.status, 200) << credential.raw;
  std::string token = credential.body["publish"]["token"];
  ApiReply grant = publish_check(api, live.room, token);
  ASSERT_EQ(grant.status, 200);
  EXPECT_EQ(grant.body["role"], "cohost");
  EXPECT_TRUE(grant.body["masked"].get<bool>());
  EXPECT_EQ(grant.body["unmasked_to"], "host");

  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/end", json::object(), guest).status, 200);
  EXPECT_EQ(publish_check(api, live.room, token).error_code(), "publish_denied") << "ending revokes the grant";
  auto off_air = watcher.next("cohost");
  ASSERT_TRUE(off_air);
  EXPECT_EQ((*off_air)["action"], "off_air");
}

TEST_P(Cohost, ADeniedRequestGrantsNothingAndTheHostCannotAskThemself) {
  VEIL_START_API_SERVER(api, GetParam());
  Live live = go_live(api, "13000130003");
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests", json::object(), live.host).error_code(), "cohost_self");
  std::string guest = viewer(api, "13000130004", "被拒者");
  std::string request = api.post("/api/v1/rooms/" + live.room + "/cohost-requests", json::object(), guest).body["request"]["id"];
  std::string decision = "/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/decision";
  ASSERT_EQ(api.post(decision, {{"approve", false}}, live.host).status, 200);
  EXPECT_EQ(api.post(decision, {{"approve", true}}, live.host).error_code(), "cohost_decided");
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/publish-credential", json::object(), guest).error_code(), "publish_denied");
  // Asking again after a denial is allowed.
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests", json::object(), guest).status, 201);
}

TEST_P(Cohost, EndingTheLiveRevokesTheCoHostsCredential) {
  VEIL_START_API_SERVER(api, GetParam());
  Live live = go_live(api, "13000130005");
  std::string guest = viewer(api, "13000130006", "嘉宾");
  std::string request = api.post("/api/v1/rooms/" + live.room + "/cohost-requests", json::object(), guest).body["request"]["id"];
  api.post("/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/decision", {{"approve", true}}, live.host);
  std::string token = api.post("/api/v1/rooms/" + live.room + "/publish-credential", json::object(), guest).body["publish"]["token"];
  ASSERT_EQ(publish_check(api, live.room, token).status, 200);
  EXPECT_FALSE(publish_check(api, live.room, token).body["masked"].get<bool>());
  api.post("/api/v1/rooms/" + live.room + "/end", json::object(), live.host);
  EXPECT_EQ(publish_check(api, live.room, token).error_code(), "publish_denied");
}

VEIL_ON_BOTH_BACKENDS(Cohost);

}  // namespace
}  // namespace veil::test
