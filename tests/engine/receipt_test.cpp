// Consent receipts (PRIVACY_ENGINE §2): what a person downloads and can verify offline. Signed with
// the platform's Ed25519 key; naming the exact policy text accepted and the ledger record.
#include <gtest/gtest.h>

#include <optional>

#include "engine/audit/chain_hash.hpp"
#include "engine/consent/receipt_signer.hpp"
#include "engine_fixture.hpp"

namespace veil::test {
namespace {

class ReceiptSigner : public ::testing::Test {
 protected:
  void SetUp() override {
    auto map = real_map();
    ASSERT_TRUE(map.ok()) << describe(map.error());
    map_.emplace(std::move(*map));
    auto fragments = engine::PolicyFragments::load_file(source_path("i18n/policy.toml").string());
    ASSERT_TRUE(fragments.ok()) << describe(fragments.error());
    documents_.emplace(*map_, std::move(*fragments));
    auto signer = engine::ReceiptSigner::open(dir_ / "signing.key");
    ASSERT_TRUE(signer.ok()) << describe(signer.error());
    signer_.emplace(std::move(*signer));
  }

  // The record the ledger writes when alice accepts the policy with her profile.
  engine::ConsentRecord acceptance() const {
    engine::ConsentRecord r;
    r.subject = "3f9a1c2b7d";
    r.seq = 1;
    r.policy_version = map_->version();
    r.action = engine::ConsentAction::Accept;
    r.purposes = {"login", "profile"};
    r.channel = "web";
    r.actor = r.subject;
    r.at = kStart;
    r.prev_hash = engine::kGenesisHash;
    r.hash = engine::sha256_hex("the ledger's link for this record");
    return r;
  }

  nlohmann::json receipt() const {
    return signer_->receipt(acceptance(), *map_, *documents_, documents_->text_sha256());
  }

  TempDir dir_;
  std::optional<engine::DataMap> map_;
  std::optional<engine::PolicyDocuments> documents_;
  std::optional<engine::ReceiptSigner> signer_;
};

TEST_F(ReceiptSigner, AReceiptVerifiesWithThePlatformPublicKey) {
  EXPECT_TRUE(engine::ReceiptSigner::verify(receipt(), signer_->public_key_base64url()));
}

TEST_F(ReceiptSigner, ChangingAnyFieldBreaksTheSignature) {
  const nlohmann::json original = receipt();
  const std::vector<std::pair<std::string, nlohmann::json>> changes = {
      {"/purposes/1/purpose", "guardian_consent"},
      {"/policyTextSha256", engine::sha256_hex("another text")},
      {"/policyVersion", "0.9.0"},
      {"/consentTimestamp", kStart - kDay},
      {"/piiPrincipalId", "someone-else"},
      {"/ledger/hash", engine::sha256_hex("another record")},
  };
  for (const auto& [pointer, value] : changes) {
    SCOPED_TRACE(pointer);
    nlohmann::json changed = original;
    changed[nlohmann::json::json_pointer(pointer)] = value;
    EXPECT_FALSE(engine::ReceiptSigner::verify(changed, signer_->public_key_base64url()));
  }
  nlohmann::json fewer = original;
  fewer["purposes"].erase(1);  // drop "profile": as if only login had been accepted
  EXPECT_FALSE(engine::ReceiptSigner::verify(fewer, signer_->public_key_base64url()));
}

TEST_F(ReceiptSigner, AnotherPlatformKeyDoesNotVerifyIt) {
  auto other = engine::ReceiptSigner::open(dir_ / "other-platform.key");
  ASSERT_TRUE(other.ok()) << describe(other.error());
  ASSERT_NE(other->public_key_base64url(), signer_->public_key_base64url());
  EXPECT_FALSE(engine::ReceiptSigner::verify(receipt(), other->public_key_base64url()));
}

TEST_F(ReceiptSigner, ItNamesThePolicyTextHashAndTheLedgerRecord) {
  const nlohmann::json r = receipt();
  EXPECT_EQ(r["policyTextSha256"], documents_->text_sha256());
  EXPECT_EQ(r["policyVersion"], map_->version());
  EXPECT_EQ(r["ledger"]["hash"], acceptance().hash);
  EXPECT_EQ(r["ledger"]["seq"], 1);
  EXPECT_EQ(r["ledger"]["prevHash"], engine::kGenesisHash);
  ASSERT_EQ(r["purposes"].size(), 2u);
  EXPECT_EQ(r["purposes"][0]["purpose"], "login");
  EXPECT_EQ(r["purposes"][1]["purpose"], "profile");
}

TEST_F(ReceiptSigner, TheSigningKeyFileIsOwnerOnly) {
  EXPECT_EQ(permission_bits(dir_ / "signing.key"), 0600u);
}

TEST_F(ReceiptSigner, ReopeningTheKeyFileKeepsThePublicKey) {
  // Receipts downloaded before a restart must still verify after it.
  auto reopened = engine::ReceiptSigner::open(dir_ / "signing.key");
  ASSERT_TRUE(reopened.ok()) << describe(reopened.error());
  EXPECT_EQ(reopened->public_key_base64url(), signer_->public_key_base64url());
  EXPECT_TRUE(engine::ReceiptSigner::verify(receipt(), reopened->public_key_base64url()));
}

TEST_F(ReceiptSigner, AReceiptWithoutItsSignatureDoesNotVerify) {
  nlohmann::json unsigned_receipt = receipt();
  unsigned_receipt.erase("signature");
  EXPECT_FALSE(engine::ReceiptSigner::verify(unsigned_receipt, signer_->public_key_base64url()));
}

TEST_F(ReceiptSigner, AMalformedSignatureDoesNotVerify) {
  // A receipt comes from anyone: checking it answers no, it does not throw.
  nlohmann::json malformed = receipt();
  malformed["signature"]["value"] = 42;
  bool verified = true;
  EXPECT_NO_THROW(verified =
                      engine::ReceiptSigner::verify(malformed, signer_->public_key_base64url()));
  EXPECT_FALSE(verified);
}

}  // namespace
}  // namespace veil::test
