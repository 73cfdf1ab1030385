// The consent ledger (PRIVACY_ENGINE §2): append-only records checked against the real data map,
// folded into the current consent, one hash chain per subject.
#include "engine/consent/consent_ledger.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "engine/audit/chain_hash.hpp"
#include "engine_fixture.hpp"

namespace veil::test {
namespace {

using engine::ConsentAction;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

class ConsentLedger : public EngineStorage {
 protected:
  void SetUp() override {
    EngineStorage::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto map = real_map();
    ASSERT_TRUE(map.ok()) << describe(map.error());
    map_.emplace(std::move(*map));
    // As in production: the embedded backend keeps current consent in memory, PostgreSQL does not.
    ledger_.emplace(*map_, clock_,
                    GetParam() == store::Backend::Sqlite ? engine::ConsentStateCache::SingleWriter
                                                         : engine::ConsentStateCache::Off);
  }

  Result<engine::ConsentRecord> record(const std::string& subject, ConsentAction action,
                                       std::vector<std::string> purposes,
                                       const std::string& channel = "web") {
    const engine::ConsentChange change{subject, map_->version(), action, std::move(purposes),
                                       channel, subject};
    return store::transact<engine::ConsentRecord>(
        db(), [&](store::Session& s) { return ledger_->record(s, change); });
  }

  engine::ConsentState state(const std::string& subject) {
    auto st = store::read<engine::ConsentState>(
        db(), [&](store::Session& s) { return ledger_->state(s, subject); });
    EXPECT_TRUE(st.ok()) << describe(st.error());
    return st.ok() ? *st : engine::ConsentState{};
  }

  std::vector<engine::ConsentRecord> history(const std::string& subject) {
    auto records = store::read<std::vector<engine::ConsentRecord>>(
        db(), [&](store::Session& s) { return ledger_->history(s, subject); });
    EXPECT_TRUE(records.ok()) << describe(records.error());
    return records.ok() ? *records : std::vector<engine::ConsentRecord>{};
  }

  std::optional<std::int64_t> first_broken(const std::string& subject) {
    auto broken = store::read<std::optional<std::int64_t>>(
        db(), [&](store::Session& s) { return ledger_->verify(s, subject); });
    EXPECT_TRUE(broken.ok()) << describe(broken.error());
    return broken.ok() ? *broken : std::optional<std::int64_t>(-1);
  }

  std::optional<engine::DataMap> map_;
  std::optional<engine::ConsentLedger> ledger_;
};

TEST_P(ConsentLedger, AcceptanceGrantsTheListedPurposes) {
  auto accepted = record("alice", ConsentAction::Accept, {"login", "profile"});
  ASSERT_TRUE(accepted.ok()) << describe(accepted.error());
  const auto st = state("alice");
  EXPECT_EQ(st.policy_version, map_->version());
  EXPECT_THAT(st.granted, ElementsAre(Pair("login", kStart), Pair("profile", kStart)));
}

TEST_P(ConsentLedger, AcceptanceWithoutTheNecessaryLoginConsentIsConsentRequired) {
  auto accepted = record("alice", ConsentAction::Accept, {"profile"});
  ASSERT_FALSE(accepted.ok());
  EXPECT_EQ(accepted.error().reason, "consent_required");
  EXPECT_EQ(accepted.error().code, ErrorCode::ConsentRequired);
  EXPECT_THAT(history("alice"), IsEmpty());
}

TEST_P(ConsentLedger, GrantsAndWithdrawalsFoldIntoTheCurrentConsent) {
  ASSERT_TRUE(record("alice", ConsentAction::Accept, {"login"}).ok());
  clock_.advance(kMinute);
  ASSERT_TRUE(record("alice", ConsentAction::Grant, {"profile"}).ok());
  clock_.advance(kMinute);
  ASSERT_TRUE(record("alice", ConsentAction::Withdraw, {"profile"}).ok());
  EXPECT_THAT(state("alice").granted, ElementsAre(Pair("login", kStart)));
  clock_.advance(kMinute);
  ASSERT_TRUE(record("alice", ConsentAction::Grant, {"profile"}).ok());
  EXPECT_THAT(state("alice").granted,
              ElementsAre(Pair("login", kStart), Pair("profile", kStart + 3 * kMinute)));
}

TEST_P(ConsentLedger, ARolledBackChangeLeavesTheCurrentConsentUnchanged) {
  ASSERT_TRUE(record("alice", ConsentAction::Accept, {"login", "profile"}).ok());
  ASSERT_TRUE(state("alice").has("profile"));  // now remembered, where a cache is used
  const engine::ConsentChange withdraw{"alice", map_->version(), ConsentAction::Withdraw, {"profile"}, "web", "alice"};
  auto failed = db().transaction([&](store::Session& s) -> Status {
    VEIL_TRY(ledger_->record(s, withdraw));
    return Error::internal("the action this withdrawal belonged to failed");
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_TRUE(state("alice").has("profile"));
  ASSERT_TRUE(record("alice", ConsentAction::Withdraw, {"profile"}).ok());
  EXPECT_FALSE(state("alice").has("profile")) << "a committed withdrawal is seen at once";
}

TEST_P(ConsentLedger, WithdrawingANecessaryPurposeIsRefused) {
  ASSERT_TRUE(record("alice", ConsentAction::Accept, {"login"}).ok());
  auto withdrawn = record("alice", ConsentAction::Withdraw, {"login"});
  ASSERT_FALSE(withdrawn.ok());
  EXPECT_EQ(withdrawn.error().reason, "consent_necessary");
  EXPECT_TRUE(state("alice").has("login"));
}

TEST_P(ConsentLedger, AnUnknownPurposeIsRefused) {
  auto granted = record("alice", ConsentAction::Grant, {"marketing"});
  ASSERT_FALSE(granted.ok());
  EXPECT_EQ(granted.error().reason, "purpose_unknown");
  EXPECT_THAT(history("alice"), IsEmpty());
}

TEST_P(ConsentLedger, APurposeThatDoesNotRestOnConsentIsRefused) {
  auto granted = record("alice", ConsentAction::Grant, {"security"});  // a legal obligation
  ASSERT_FALSE(granted.ok());
  EXPECT_EQ(granted.error().reason, "purpose_not_consent_based");
  EXPECT_THAT(history("alice"), IsEmpty());
}

TEST_P(ConsentLedger, RecordsChainPerSubject) {
  ASSERT_TRUE(record("alice", ConsentAction::Accept, {"login"}).ok());
  ASSERT_TRUE(record("alice", ConsentAction::Grant, {"profile"}).ok());
  ASSERT_TRUE(record("alice", ConsentAction::Withdraw, {"profile"}).ok());
  const auto records = history("alice");
  ASSERT_EQ(records.size(), 3u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(records[i].seq, static_cast<std::int64_t>(i) + 1);
    EXPECT_EQ(records[i].prev_hash,
              i == 0 ? std::string(engine::kGenesisHash) : records[i - 1].hash);
  }
  EXPECT_EQ(first_broken("alice"), std::nullopt);
}

TEST_P(ConsentLedger, VerifyFindsAnEditedRecord) {
  ASSERT_TRUE(record("alice", ConsentAction::Accept, {"login"}).ok());
  ASSERT_TRUE(record("alice", ConsentAction::Grant, {"profile"}).ok());
  ASSERT_TRUE(record("alice", ConsentAction::Withdraw, {"profile"}).ok());
  // Someone makes it look as if alice had never granted her profile.
  tamper("UPDATE consent_records SET action = 'withdraw' WHERE subject_id = ? AND seq = 2",
         {store::Value{"alice"}});
  EXPECT_EQ(first_broken("alice"), 2);
}

TEST_P(ConsentLedger, AChildsSeparateConsentIsTheGuardiansToGive) {
  auto by_the_child = record("child", ConsentAction::Grant, {"guardian_consent"});
  ASSERT_FALSE(by_the_child.ok());
  EXPECT_EQ(by_the_child.error().reason, "consent_by_guardian_only");
  auto by_the_guardian = record("child", ConsentAction::Grant, {"guardian_consent"}, "guardian");
  ASSERT_TRUE(by_the_guardian.ok()) << describe(by_the_guardian.error());
  EXPECT_TRUE(state("child").has("guardian_consent"));
}

TEST_P(ConsentLedger, TwoSubjectsChainsAreIndependent) {
  ASSERT_TRUE(record("alice", ConsentAction::Accept, {"login"}).ok());
  ASSERT_TRUE(record("bob", ConsentAction::Accept, {"login"}).ok());
  ASSERT_TRUE(record("alice", ConsentAction::Grant, {"profile"}).ok());
  ASSERT_TRUE(record("bob", ConsentAction::Grant, {"profile"}).ok());
  ASSERT_TRUE(record("alice", ConsentAction::Withdraw, {"profile"}).ok());

  const auto bobs = history("bob");
  ASSERT_EQ(bobs.size(), 2u);
  EXPECT_EQ(bobs[0].seq, 1);
  EXPECT_EQ(bobs[0].prev_hash, engine::kGenesisHash);  // not linked to alice's records
  EXPECT_EQ(history("alice").size(), 3u);

  tamper("UPDATE consent_records SET channel = 'api' WHERE subject_id = 'alice' AND seq = 1");
  EXPECT_EQ(first_broken("alice"), 1);
  EXPECT_EQ(first_broken("bob"), std::nullopt);
  EXPECT_TRUE(state("bob").has("profile"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsentLedger, kBothBackends, backend_param_name);

}  // namespace
}  // namespace veil::test
