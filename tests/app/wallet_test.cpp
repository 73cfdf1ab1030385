// The wallet (C10, B6; [004] 一(三)7; [001]: 只与支付机构共享订单号、交易金额): recharges are credited
// once, by the provider's signed callback only; forged, tampered, stale and replayed callbacks
// change nothing; minors cannot recharge; withdrawals need a fresh identity check.
#include <gtest/gtest.h>

#include "app/live_fixtures.hpp"
#include "app/wallet_fixtures.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Wallet : public ::testing::TestWithParam<store::Backend> {};

std::int64_t coins_of(ApiServer& api, const std::string& token) { return api.get("/api/v1/wallet", token).body["coins"].get<std::int64_t>(); }

TEST_P(Wallet, ARechargeIsCreditedOnceByTheSignedCallback) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13800138300");
  EXPECT_EQ(coins_of(api, token), 0);
  EXPECT_EQ(api.post("/api/v1/wallet/recharges", {{"amount_cents", 123}, {"request_id", "req-00000001"}}, token).error_code(),
            "recharge_amount_invalid");
  EXPECT_EQ(api.post("/api/v1/wallet/recharges", {{"amount_cents", 600}, {"request_id", "x"}}, token).error_code(), "request_id_invalid");

  ApiReply created = api.post("/api/v1/wallet/recharges", {{"amount_cents", 600}, {"request_id", "req-00000001"}}, token);
  ASSERT_EQ(created.status, 201) << created.raw;
  std::string order_no = created.body["order"]["order_no"];
  EXPECT_EQ(created.body["order"]["status"], "pending");
  EXPECT_EQ(created.body["order"]["coins"], 60);
  EXPECT_EQ(created.body["order"]["pay_url"], "/#/wallet/checkout?order=" + order_no);
  // The same request again is the same order; the same request id for another amount is refused.
  EXPECT_EQ(api.post("/api/v1/wallet/recharges", {{"amount_cents", 600}, {"request_id", "req-00000001"}}, token).body["order"]["order_no"], order_no);
  EXPECT_EQ(api.post("/api/v1/wallet/recharges", {{"amount_cents", 3000}, {"request_id", "req-00000001"}}, token).error_code(),
            "request_id_reused");
  EXPECT_EQ(coins_of(api, token), 0) << "nothing is credited before the provider says paid";

  json callback = dev_callback(api, token, order_no);
  ApiReply paid = post_callback(api, callback);
  ASSERT_EQ(paid.status, 200) << paid.raw;
  EXPECT_EQ(paid.body["status"], "paid");
  EXPECT_EQ(coins_of(api, token), 60);
  EXPECT_EQ(post_callback(api, callback).status, 200) << "a replay is answered";
  EXPECT_EQ(coins_of(api, token), 60) << "a replay credits nothing";
  EXPECT_EQ(api.get("/api/v1/wallet/recharges/" + order_no, token).body["order"]["status"], "paid");

  json lines = api.get("/api/v1/wallet", token).body["lines"];
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["kind"], "recharge");
  EXPECT_EQ(lines[0]["amount"], 60);
}

TEST_P(Wallet, ForgedTamperedStaleAndMismatchedCallbacksChangeNothing) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13800138301");
  std::string order_no = api.post("/api/v1/wallet/recharges", {{"amount_cents", 600}, {"request_id", "req-00000002"}}, token)
                             .body["order"]["order_no"];
  json callback = dev_callback(api, token, order_no);

  json forged = callback;
  std::string signature = forged["headers"]["X-Veil-Signature"];
  signature[0] = signature[0] == 'a' ? 'b' : 'a';
  forged["headers"]["X-Veil-Signature"] = signature;
  EXPECT_EQ(post_callback(api, forged).error_code(), "signature_invalid");

  json tampered = callback;
  tampered["body"] = std::string(callback["body"]).replace(std::string(callback["body"]).find("600"), 3, "900");
  EXPECT_EQ(post_callback(api, tampered).error_code(), "signature_invalid");

  json unsigned_callback = callback;
  unsigned_callback["headers"] = json::object();
  EXPECT_EQ(post_callback(api, unsigned_callback).error_code(), "signature_invalid");

  // Correctly signed by the provider, but for another amount than the order's.
  auto mismatch = api.platform().dev_payments()->callback({order_no, 900}, true, api.platform().clock().now());
  ApiReply wrong = api.send_raw("POST", "/api/v1/payments/callback", mismatch.body, "application/json", "",
                                {{"X-Veil-Timestamp", mismatch.timestamp}, {"X-Veil-Signature", mismatch.signature}});
  EXPECT_EQ(wrong.error_code(), "payment_amount_mismatch");

  api.advance_clock_seconds(6 * 60);
  EXPECT_EQ(post_callback(api, callback).error_code(), "signature_expired") << "an old callback cannot be replayed";
  EXPECT_EQ(coins_of(api, token), 0);
  EXPECT_EQ(api.get("/api/v1/wallet/recharges/" + order_no, token).body["order"]["status"], "pending");

  // A failed payment settles the order; a later "paid" for it is refused.
  ASSERT_EQ(post_callback(api, dev_callback(api, token, order_no, false)).body["status"], "failed");
  EXPECT_EQ(post_callback(api, dev_callback(api, token, order_no, true)).error_code(), "payment_order_settled");
  EXPECT_EQ(coins_of(api, token), 0);
}

TEST_P(Wallet, AnotherPersonsOrderIsNotFound) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string alice = api.register_user("13800138302");
  std::string bob = api.register_user("13800138303");
  std::string order_no = api.post("/api/v1/wallet/recharges", {{"amount_cents", 600}, {"request_id", "req-00000003"}}, alice)
                             .body["order"]["order_no"];
  EXPECT_EQ(api.get("/api/v1/wallet/recharges/" + order_no, bob).error_code(), "not_found");
  EXPECT_EQ(api.post("/api/v1/dev/payments/" + order_no + "/callback", {{"paid", true}}, bob).error_code(), "not_found");
  EXPECT_EQ(api.get("/api/v1/wallet").error_code(), "session_invalid");
}

TEST_P(Wallet, AMinorCannotRecharge) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string teen = api.register_user("13800138304", {"login", "real_name"});
  ASSERT_EQ(api.post("/api/v1/me/real-name", {{"name", "钱七"}, {"id_number", resident_id_aged(16)}, {"face_image", face_photo().base64}}, teen).status, 200);
  auto before = api.row_counts();
  ApiReply refused = api.post("/api/v1/wallet/recharges", {{"amount_cents", 600}, {"request_id", "req-00000004"}}, teen);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "minor_payment_refused");
  EXPECT_EQ(api.row_counts()["recharge_orders"], before["recharge_orders"]) << "no order is stored";
}

TEST_P(Wallet, AWithdrawalNeedsAFreshIdentityCheckAndTheEarnings) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13800138310");
  std::string room = api.post("/api/v1/rooms", {{"title", "提现测试"}}, host).body["room"]["id"];
  api.post("/api/v1/rooms/" + room + "/live", json::object(), host);
  std::string fan = api.register_user("13800138311");
  recharge(api, fan, 3000);
  ASSERT_EQ(api.post("/api/v1/rooms/" + room + "/gifts", {{"gift", "rocket"}, {"quantity", 2}, {"request_id", "gift-000001"}}, fan).status, 201);
  EXPECT_EQ(api.get("/api/v1/wallet", host).body["earnings"], 100);

  std::string unverified = api.register_user("13800138312");
  EXPECT_EQ(api.post("/api/v1/wallet/withdrawals", {{"coins", 100}, {"request_id", "wd-0000001"}}, unverified).error_code(),
            "identity_check_required");
  EXPECT_EQ(api.post("/api/v1/wallet/withdrawals", {{"coins", 99}, {"request_id", "wd-0000001"}}, host).error_code(),
            "withdrawal_amount_invalid");
  api.advance_clock_seconds(11 * 60);
  ApiReply stale = api.post("/api/v1/wallet/withdrawals", {{"coins", 100}, {"request_id", "wd-0000001"}}, host);
  EXPECT_EQ(stale.status, 403);
  EXPECT_EQ(stale.error_code(), "identity_check_required") << "the face check of ten minutes ago no longer counts";
  ASSERT_EQ(api.post("/api/v1/me/real-name/face", {{"face_image", face_photo().base64}}, host).status, 200);

  ApiReply done = api.post("/api/v1/wallet/withdrawals", {{"coins", 100}, {"request_id", "wd-0000001"}}, host);
  ASSERT_EQ(done.status, 201) << done.raw;
  EXPECT_EQ(done.body["withdrawal"]["amount_cents"], 1000);
  EXPECT_EQ(api.post("/api/v1/wallet/withdrawals", {{"coins", 100}, {"request_id", "wd-0000001"}}, host).body["withdrawal"]["id"],
            done.body["withdrawal"]["id"])
      << "the same request is one withdrawal";
  json wallet = api.get("/api/v1/wallet", host).body;
  EXPECT_EQ(wallet["earnings"], 0);
  EXPECT_EQ(wallet["withdrawals"].size(), 1u);
  EXPECT_EQ(api.post("/api/v1/wallet/withdrawals", {{"coins", 100}, {"request_id", "wd-0000002"}}, host).error_code(), "insufficient_earnings");
  api.advance_clock_seconds(11 * 60);
  EXPECT_EQ(api.post("/api/v1/wallet/withdrawals", {{"coins", 100}, {"request_id", "wd-0000001"}}, host).body["withdrawal"]["id"],
            done.body["withdrawal"]["id"])
      << "a retry after the face check has aged still answers the first withdrawal";
}

VEIL_ON_BOTH_BACKENDS(Wallet);

}  // namespace
}  // namespace veil::test
