// Gifts (C9; [004] 一(三)5(3): 打赏时展示头像、昵称及打赏数据; [004] 六: 未成年人不能打赏): coins
// move from the sender to the host and the platform in one balanced transaction, the room sees
// the gift with the sender's card, a retried request moves nothing twice, and the ledger's
// invariants hold after many connections gift at once.
#include <gtest/gtest.h>

#include <thread>

#include "app/live_fixtures.hpp"
#include "app/room_client.hpp"
#include "app/wallet_fixtures.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Gifts : public ::testing::TestWithParam<store::Backend> {};

struct LiveRoom {
  std::string host, room;
};

LiveRoom live_room(ApiServer& api, const std::string& phone) {
  LiveRoom r{make_streamer(api, phone), ""};
  r.room = api.post("/api/v1/rooms", {{"title", "唱歌聊天"}}, r.host).body["room"]["id"];
  api.post("/api/v1/rooms/" + r.room + "/live", json::object(), r.host);
  return r;
}

json gift(const std::string& kind, int quantity, const std::string& request_id) {
  return {{"gift", kind}, {"quantity", quantity}, {"request_id", request_id}};
}

std::string account_id(ApiServer& api, const std::string& token) { return api.get("/api/v1/me", token).body["id"]; }

TEST_P(Gifts, AGiftMovesCoinsAndTheRoomSeesWhoSentIt) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom live = live_room(api, "13800138400");
  std::string fan = api.register_user("13800138401", {"login", "profile"});
  ASSERT_EQ(api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "小鱼"}}, fan).status, 200);
  recharge(api, fan, 600);  // 60 coins
  RoomClient watcher(api.port(), live.room);
  watcher.send({{"type", "join"}, {"ticket", api.post("/api/v1/rooms/" + live.room + "/watch", json::object()).body["token"]}});
  ASSERT_TRUE(watcher.next("welcome"));

  ApiReply sent = api.post("/api/v1/rooms/" + live.room + "/gifts", gift("heart", 2, "gift-aaaa0001"), fan);
  ASSERT_EQ(sent.status, 201) << sent.raw;
  EXPECT_EQ(sent.body["balance"], 40);
  auto event = watcher.next("gift");
  ASSERT_TRUE(event);
  EXPECT_EQ((*event)["gift"], "heart");
  EXPECT_EQ((*event)["quantity"], 2);
  EXPECT_EQ((*event)["from"]["nickname"], "小鱼");
  EXPECT_FALSE((*event)["from"].contains("id")) << "a card never carries the account id";

  // A retried request is answered, moves nothing and is not announced again.
  ApiReply again = api.post("/api/v1/rooms/" + live.room + "/gifts", gift("heart", 2, "gift-aaaa0001"), fan);
  EXPECT_EQ(again.status, 200);
  EXPECT_TRUE(again.body["replayed"].get<bool>());
  EXPECT_EQ(again.body["balance"], 40);
  EXPECT_FALSE(watcher.next("gift", std::chrono::milliseconds(300)));
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/gifts", gift("rose", 2, "gift-aaaa0001"), fan).error_code(), "request_id_reused");

  json host_wallet = api.get("/api/v1/wallet", live.host).body;
  EXPECT_EQ(host_wallet["earnings"], 10) << "half of 20 coins";
  EXPECT_EQ(host_wallet["lines"][0]["kind"], "gift");
  EXPECT_EQ(api.get("/api/v1/wallet", fan).body["coins"], 40);

  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/gifts", gift("castle", 1, "gift-aaaa0002"), fan).error_code(), "insufficient_balance");
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/gifts", gift("diamond", 1, "gift-aaaa0003"), fan).error_code(), "gift_unknown");
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/gifts", gift("rose", 0, "gift-aaaa0004"), fan).error_code(), "gift_quantity_invalid");
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/gifts", gift("rose", 1, "gift-aaaa0005"), live.host).error_code(), "gift_self");
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/gifts", gift("rose", 1, "gift-aaaa0006")).error_code(), "session_invalid");
  EXPECT_EQ(api.get("/api/v1/wallet", fan).body["coins"], 40) << "refused gifts cost nothing";

  ASSERT_TRUE(api.platform().moderation().penalise(account_id(api, live.host), {account_id(api, fan), std::nullopt},
                                                   live::PenaltyKind::Ban, live.room, 0, "屡次刷屏").ok());
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/gifts", gift("rose", 1, "gift-aaaa0007"), fan).error_code(), "banned");
  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/end", json::object(), live.host).status, 200);
  std::string other = api.register_user("13800138402");
  recharge(api, other, 600);
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/gifts", gift("rose", 1, "gift-bbbb0001"), other).error_code(), "not_live");
}

TEST_P(Gifts, AMinorsTipIsRefusedAndMovesNothing) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom live = live_room(api, "13800138410");
  std::string teen = api.register_user("13800138411", {"login", "real_name"});
  ASSERT_EQ(api.post("/api/v1/me/real-name", {{"name", "钱七"}, {"id_number", resident_id_aged(16)}, {"face_image", face_photo().base64}}, teen).status, 200);
  auto before = api.row_counts();
  ApiReply refused = api.post("/api/v1/rooms/" + live.room + "/gifts", gift("rose", 1, "gift-cccc0001"), teen);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "minor_payment_refused");
  auto after = api.row_counts();
  for (const char* table : {"ledger_transactions", "ledger_entries", "wallet_accounts"}) EXPECT_EQ(after[table], before[table]) << table;
}

// Ten people, each with 60 coins, send 10-coin hearts from ten connections at once, twelve
// attempts each: exactly six succeed per person, nobody goes below zero, every transaction sums
// to zero, and every balance equals the sum of its entries.
TEST_P(Gifts, TheLedgerBalancesAfterConcurrentGifting) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom live = live_room(api, "13800138420");
  std::vector<std::string> fans;
  for (int i = 0; i < 10; ++i) {
    fans.push_back(api.register_user("138001384" + std::to_string(30 + i)));
    recharge(api, fans.back(), 600);
  }
  std::vector<std::thread> threads;
  std::vector<int> succeeded(fans.size(), 0), refused(fans.size(), 0);
  for (std::size_t f = 0; f < fans.size(); ++f) {
    threads.emplace_back([&, f] {
      for (int attempt = 0; attempt < 12; ++attempt) {
        ApiReply r = api.post("/api/v1/rooms/" + live.room + "/gifts",
                              gift("heart", 1, "conc-" + std::to_string(f) + "-" + std::to_string(attempt)), fans[f]);
        if (r.status == 201) ++succeeded[f];
        else if (r.error_code() == "insufficient_balance") ++refused[f];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t f = 0; f < fans.size(); ++f) {
    EXPECT_EQ(succeeded[f], 6) << "fan " << f;
    EXPECT_EQ(refused[f], 6) << "fan " << f;
    EXPECT_EQ(api.get("/api/v1/wallet", fans[f]).body["coins"], 0);
  }
  EXPECT_EQ(api.get("/api/v1/wallet", live.host).body["earnings"], 10 * 6 * 5);

  auto& db = api.platform().db();
  auto q = [&](const std::string& sql) {
    auto rows = store::read<std::vector<store::Row>>(db, [&](store::Session& s) { return s.query(sql, {}); });
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<store::Row>{};
  };
  EXPECT_TRUE(q("SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING SUM(amount) <> 0").empty());
  EXPECT_EQ(q("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries")[0].integer(0), 0);
  EXPECT_EQ(q("SELECT COALESCE(SUM(balance), 0) FROM wallet_accounts")[0].integer(0), 0);
  EXPECT_TRUE(q("SELECT a.id FROM wallet_accounts a LEFT JOIN ledger_entries e ON e.wallet_id = a.id "
                "GROUP BY a.id, a.balance HAVING a.balance <> COALESCE(SUM(e.amount), 0)").empty());
  EXPECT_TRUE(q("SELECT id FROM wallet_accounts WHERE owner_id IS NOT NULL AND balance < 0").empty());
  EXPECT_EQ(q("SELECT COUNT(*) FROM ledger_transactions WHERE kind = 'gift'")[0].integer(0), 60);
}

VEIL_ON_BOTH_BACKENDS(Gifts);

}  // namespace
}  // namespace veil::test
