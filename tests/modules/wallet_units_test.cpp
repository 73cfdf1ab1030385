// The payment provider adapters: what the HTTP adapter sends (the order number and the amount,
// signed, nothing else) and how the development provider signs its callbacks.
#include <gtest/gtest.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "modules/wallet/dev_payment_provider.hpp"
#include "modules/wallet/http_payment_provider.hpp"
#include "support/scripted_http_client.hpp"
#include "util/signed_request.hpp"

namespace veil::wallet {
namespace {

using test::ScriptedClient;

TEST(HttpPaymentProvider, SendsOnlyTheOrderNumberAndAmountSigned) {
  ASSERT_GE(sodium_init(), 0);
  ScriptedClient client(R"({"pay_url": "https://pay.example/c/VL1"})");
  ManualClock clock(1'700'000'000'000);
  SecretBytes secret = SecretBytes::random(32);
  SecretBytes copy = secret.copy();
  HttpPaymentProvider payments(client, "https://pay.example/orders", std::move(secret), clock);
  auto url = payments.start({"VL1", 600});
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(*url, "https://pay.example/c/VL1");
  EXPECT_EQ(client.last.url, "https://pay.example/orders");
  EXPECT_EQ(client.last.body, R"({"amount_cents":600,"order_no":"VL1"})");
  std::string timestamp, signature;
  for (auto& [k, v] : client.last.headers) {
    if (k == kTimestampHeader) timestamp = v;
    if (k == kSignatureHeader) signature = v;
  }
  EXPECT_EQ(signature, sign_body(copy, timestamp, client.last.body));
  EXPECT_TRUE(verify_signed_body(payments.callback_secret(), timestamp, signature, client.last.body, clock.now()).ok());
}

TEST(HttpPaymentProvider, AnythingButAPayUrlIsUnavailable) {
  ScriptedClient client(R"({"pay_url": 7})");
  ManualClock clock(0);
  HttpPaymentProvider payments(client, "https://pay.example/orders", SecretBytes::random(32), clock);
  EXPECT_EQ(payments.start({"VL1", 600}).error().reason, "payment_unavailable");
  client.answer = R"({"pay_url": "https://pay.example/c/VL1"})";
  client.status = 502;
  EXPECT_EQ(payments.start({"VL1", 600}).error().reason, "payment_unavailable");
  client.status = 200;
  client.fail = true;
  EXPECT_EQ(payments.start({"VL1", 600}).error().reason, "payment_unavailable");
}

TEST(DevPaymentProvider, SignsCallbacksWithItsOwnSecretOnly) {
  ASSERT_GE(sodium_init(), 0);
  DevPaymentProvider dev, other;
  Millis now = 1'700'000'000'000;
  SignedCallback paid = dev.callback({"VL2", 3000}, true, now);
  EXPECT_EQ(nlohmann::json::parse(paid.body), (nlohmann::json{{"order_no", "VL2"}, {"amount_cents", 3000}, {"status", "paid"}}));
  EXPECT_TRUE(verify_signed_body(dev.callback_secret(), paid.timestamp, paid.signature, paid.body, now).ok());
  EXPECT_FALSE(verify_signed_body(other.callback_secret(), paid.timestamp, paid.signature, paid.body, now).ok())
      << "another process's development provider cannot be used to forge this one's callbacks";
  EXPECT_EQ(nlohmann::json::parse(dev.callback({"VL2", 3000}, false, now).body)["status"], "failed");
}

}  // namespace
}  // namespace veil::wallet
