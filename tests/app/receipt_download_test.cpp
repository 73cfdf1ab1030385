// [PRIVACY_ENGINE §2] The consent receipt a person downloads is signed by the platform and
// verifies offline against the published public key; it names the exact policy text accepted.
#include <gtest/gtest.h>

#include "app/api_server.hpp"
#include "engine/consent/receipt_signer.hpp"

namespace veil::test {
namespace {

class ReceiptDownload : public ::testing::TestWithParam<store::Backend> {};

TEST_P(ReceiptDownload, TheReceiptVerifiesWithThePublishedKeyAndNamesThePolicyText) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13300133000", {"login", "profile"});
  ApiReply receipt = api.get("/api/v1/me/consents/receipts/1", token);
  ASSERT_EQ(receipt.status, 200) << receipt.raw;
  std::string key = api.get("/api/v1/policy/public-key").body["public_key"];
  EXPECT_TRUE(engine::ReceiptSigner::verify(receipt.body, key));
  EXPECT_EQ(receipt.body["policyTextSha256"], api.get("/api/v1/policy").body["text_sha256"]);
  EXPECT_EQ(receipt.body["policyVersion"], "1.0.0");
  EXPECT_EQ(receipt.body["purposes"].size(), 2u);
  nlohmann::json tampered = receipt.body;
  tampered["purposes"].erase(1);
  EXPECT_FALSE(engine::ReceiptSigner::verify(tampered, key));
}

TEST_P(ReceiptDownload, AnotherPersonsReceiptIsNotReachable) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string alice = api.register_user("13300133001");
  std::string bob = api.register_user("13300133002");
  api.post("/api/v1/me/consents", {{"grant", {"profile"}}}, alice);  // alice has records 1 and 2
  EXPECT_EQ(api.get("/api/v1/me/consents/receipts/2", alice).status, 200);
  ApiReply r = api.get("/api/v1/me/consents/receipts/2", bob);  // bob has only record 1
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "receipt_not_found");
}

VEIL_ON_BOTH_BACKENDS(ReceiptDownload);

}  // namespace
}  // namespace veil::test
