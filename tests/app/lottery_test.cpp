// Room lotteries (C11; [001] 抽奖: 中奖者提供姓名、电话、地址，仅用于寄送奖品): present viewers
// enter, the host draws with the CSPRNG, the draw is on the audit trail, winners' delivery details
// are sealed and reach only the host.
#include <gtest/gtest.h>

#include "app/live_fixtures.hpp"
#include "app/room_client.hpp"
#include "engine/retention/retention_sweeper.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Lottery : public ::testing::TestWithParam<store::Backend> {};

TEST_P(Lottery, PresentViewersEnterTheHostDrawsAndOnlyWinnersGiveDeliveryDetails) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13800138100");
  std::string room = api.post("/api/v1/rooms", {{"title", "抽奖直播"}}, host).body["room"]["id"];
  api.post("/api/v1/rooms/" + room + "/live", json::object(), host);
  EXPECT_EQ(api.post("/api/v1/rooms/" + room + "/lotteries", {{"prize", "签名书"}, {"winners", 0}}, host).error_code(),
            "lottery_winners_invalid");
  ApiReply opened = api.post("/api/v1/rooms/" + room + "/lotteries", {{"prize", "签名书"}, {"winners", 2}}, host);
  ASSERT_EQ(opened.status, 201) << opened.raw;
  std::string lottery = opened.body["lottery"]["id"];

  std::vector<std::string> viewers;
  std::vector<std::unique_ptr<RoomClient>> connections;
  for (int i = 0; i < 5; ++i) {
    viewers.push_back(api.register_user("1380013811" + std::to_string(i)));
    connections.push_back(std::make_unique<RoomClient>(api.port(), room));
    connections.back()->send({{"type", "join"}, {"session", viewers.back()}});
    ASSERT_TRUE(connections.back()->next("welcome"));
  }
  std::string absent = api.register_user("13800138120");
  EXPECT_EQ(api.post("/api/v1/lotteries/" + lottery + "/entries", json::object(), absent).error_code(), "lottery_not_present");
  EXPECT_EQ(api.post("/api/v1/lotteries/" + lottery + "/entries", json::object(), host).error_code(), "lottery_host");
  for (const auto& v : viewers) ASSERT_EQ(api.post("/api/v1/lotteries/" + lottery + "/entries", json::object(), v).status, 204);
  EXPECT_EQ(api.post("/api/v1/lotteries/" + lottery + "/draw", json::object(), viewers[0]).error_code(), "not_found");

  ApiReply drawn = api.post("/api/v1/lotteries/" + lottery + "/draw", json::object(), host);
  ASSERT_EQ(drawn.status, 200) << drawn.raw;
  EXPECT_EQ(drawn.body["winners"].size(), 2u);
  auto announced = connections[0]->next("lottery");
  while (announced && (*announced)["action"] != "drawn") announced = connections[0]->next("lottery");
  ASSERT_TRUE(announced);
  EXPECT_EQ((*announced)["winners"].size(), 2u);
  EXPECT_EQ(api.post("/api/v1/lotteries/" + lottery + "/draw", json::object(), host).error_code(), "lottery_closed");

  // The audit entry lets the draw be checked: count, hash of the entries, winning positions.
  auto audit = store::read<std::vector<store::Row>>(api.platform().db(), [&](store::Session& s) {
    return s.query("SELECT detail FROM audit_log WHERE action = 'lottery.drawn'", {});
  });
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  json detail = json::parse((*audit)[0].text(0));
  EXPECT_EQ(detail["entries"], 5);
  EXPECT_EQ(detail["entries_sha256"], drawn.body["lottery"]["entries_sha256"]);
  EXPECT_EQ(detail["winning_positions"].size(), 2u);

  std::vector<std::string> winners, losers;
  for (const auto& v : viewers) (api.get("/api/v1/lotteries/" + lottery, v).body["lottery"]["you"]["won"].get<bool>() ? winners : losers).push_back(v);
  ASSERT_EQ(winners.size(), 2u);
  json delivery = {{"name", "王小二"}, {"phone", "13912340000"}, {"address", "北京市朝阳区某街道 1 号"}};
  EXPECT_EQ(api.call("PUT", "/api/v1/lotteries/" + lottery + "/delivery", delivery, losers[0]).error_code(), "lottery_not_winner");
  json bad = delivery;
  bad["phone"] = "123";
  EXPECT_EQ(api.call("PUT", "/api/v1/lotteries/" + lottery + "/delivery", bad, winners[0]).error_code(), "delivery_invalid");
  ASSERT_EQ(api.call("PUT", "/api/v1/lotteries/" + lottery + "/delivery", delivery, winners[0]).status, 204);
  EXPECT_EQ(api.get("/api/v1/me/notices", winners[0]).body["notices"][0]["kind"], "lottery_won");

  EXPECT_EQ(api.get("/api/v1/lotteries/" + lottery + "/deliveries", winners[1]).error_code(), "not_found") << "only the host reads them";
  ApiReply list = api.get("/api/v1/lotteries/" + lottery + "/deliveries", host);
  ASSERT_EQ(list.body["deliveries"].size(), 2u);
  json submitted;
  for (const auto& d : list.body["deliveries"])
    if (d["submitted"].get<bool>()) submitted = d;
  EXPECT_EQ(submitted["address"], "北京市朝阳区某街道 1 号");
  ASSERT_EQ(api.post("/api/v1/lotteries/" + lottery + "/deliveries/" + submitted["entry_id"].get<std::string>() + "/delivered",
                     json::object(), host).status,
            204);

  // Sealed at rest under the winner's key: the address is nowhere in plain text.
  auto stored = store::read<std::vector<store::Row>>(api.platform().db(), [](store::Session& s) {
    return s.query("SELECT address_cipher, delivered_at FROM lottery_deliveries", {});
  });
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  const auto& cipher = std::get<Bytes>((*stored)[0].at(0));
  EXPECT_EQ(std::string(cipher.begin(), cipher.end()).find("朝阳区"), std::string::npos);
  EXPECT_FALSE((*stored)[0].is_null(1)) << "delivery starts the 30-day retention";

  // Marking it sent again does not restart the 30 days.
  api.advance_clock_seconds(3600);
  ASSERT_EQ(api.post("/api/v1/lotteries/" + lottery + "/deliveries/" + submitted["entry_id"].get<std::string>() + "/delivered",
                     json::object(), host).status,
            204);
  auto again = store::read<std::vector<store::Row>>(api.platform().db(), [](store::Session& s) {
    return s.query("SELECT delivered_at FROM lottery_deliveries", {});
  });
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].integer(0), (*stored)[0].integer(1));

  // The sweeper deletes the details 30 days after the prize was sent, not a day before.
  auto sweep = [&] {
    auto& p = api.platform();
    return engine::sweep_expired(p.db(), p.engine().map(), p.engine().audit(), p.clock().now());
  };
  api.advance_clock_seconds(29 * 24 * 3600);
  ASSERT_TRUE(sweep().ok());
  EXPECT_EQ(api.row_counts()["lottery_deliveries"], 1);
  api.advance_clock_seconds(24 * 3600);
  auto swept = sweep();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(swept->rows_deleted["lottery_deliveries"], 1);
  EXPECT_EQ(api.row_counts()["lottery_deliveries"], 0);
  // The same sweep also took the codes and sessions of those 30 days, each table with its entry.
  const std::int64_t recorded = api.audit_count("retention.swept");
  EXPECT_GE(recorded, 1);
  ASSERT_TRUE(sweep().ok());
  EXPECT_EQ(api.audit_count("retention.swept"), recorded) << "a second sweep finds nothing and records nothing";
}

TEST_P(Lottery, TheRoomsLotteriesAndTheirWinnersCanBeReadAgainLater) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13800138130");
  std::string room = api.post("/api/v1/rooms", {{"title", "抽奖直播"}}, host).body["room"]["id"];
  api.post("/api/v1/rooms/" + room + "/live", json::object(), host);
  EXPECT_TRUE(api.get("/api/v1/rooms/" + room + "/lotteries").body["lotteries"].empty());
  std::string lottery = api.post("/api/v1/rooms/" + room + "/lotteries", {{"prize", "签名照"}, {"winners", 1}}, host).body["lottery"]["id"];
  std::string viewer = api.register_user("13800138131");
  RoomClient connection(api.port(), room);
  connection.send({{"type", "join"}, {"session", viewer}});
  ASSERT_TRUE(connection.next("welcome"));

  json listed = api.get("/api/v1/rooms/" + room + "/lotteries").body["lotteries"];
  ASSERT_EQ(listed.size(), 1u) << "a viewer arriving after the lottery opened can find it";
  EXPECT_EQ(listed[0]["status"], "open");
  ASSERT_EQ(api.post("/api/v1/lotteries/" + lottery + "/entries", json::object(), viewer).status, 204);
  ASSERT_EQ(api.post("/api/v1/lotteries/" + lottery + "/draw", json::object(), host).status, 200);

  json seen = api.get("/api/v1/lotteries/" + lottery, viewer).body["lottery"];
  ASSERT_EQ(seen["winners"].size(), 1u);
  EXPECT_FALSE(seen["winners"][0].contains("id")) << "winners appear by their cards only";
  EXPECT_TRUE(seen["you"]["won"].get<bool>());
  EXPECT_FALSE(seen["you"]["delivery_submitted"].get<bool>());
  json delivery = {{"name", "王小二"}, {"phone", "13912340000"}, {"address", "北京市朝阳区某街道 1 号"}};
  ASSERT_EQ(api.call("PUT", "/api/v1/lotteries/" + lottery + "/delivery", delivery, viewer).status, 204);
  EXPECT_TRUE(api.get("/api/v1/lotteries/" + lottery, viewer).body["lottery"]["you"]["delivery_submitted"].get<bool>());
  EXPECT_EQ(api.get("/api/v1/rooms/" + room + "/lotteries").body["lotteries"][0]["winners"].size(), 1u);
}

VEIL_ON_BOTH_BACKENDS(Lottery);

}  // namespace
}  // namespace veil::test
