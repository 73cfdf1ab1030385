// The audit log (PRIVACY_ENGINE §5): append-only and hash-chained, with keyed links, so an edit, a
// removal or an insertion is named by the first sequence number that no longer holds, and someone
// who can write the table but does not hold the vault key cannot forge a chain that verifies.
#include "engine/audit/audit_log.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "engine/audit/chain_hash.hpp"
#include "engine_fixture.hpp"

namespace veil::test {
namespace {

using ::testing::HasSubstr;

class AuditLog : public EngineStorage {
 protected:
  void SetUp() override {
    EngineStorage::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    log_.emplace(clock_, vault());
  }

  // Appends `n` staff reads of a member's phone, a minute apart.
  void append_entries(int n) {
    for (int i = 1; i <= n; ++i) {
      auto seq = store::transact<std::int64_t>(db(), [&](store::Session& s) {
        return log_->append(
            s, engine::AuditEntry{"staff-7",
                                  "pi.read",
                                  "member-" + std::to_string(i),
                                  {{"field", "member.phone"}, {"purpose", "support"}}});
      });
      ASSERT_TRUE(seq.ok()) << describe(seq.error());
      clock_.advance(kMinute);
    }
  }

  engine::AuditVerdict verify(const engine::AuditLog& log) {
    auto verdict =
        store::read<engine::AuditVerdict>(db(), [&](store::Session& s) { return log.verify(s); });
    EXPECT_TRUE(verdict.ok()) << describe(verdict.error());
    return verdict.ok() ? *verdict : engine::AuditVerdict{};
  }
  engine::AuditVerdict verify() { return verify(*log_); }

  std::vector<store::Row> entries() {
    auto rows = store::read<std::vector<store::Row>>(db(), [](store::Session& s) {
      return s.query(
          "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY "
          "seq",
          {});
    });
    EXPECT_TRUE(rows.ok()) << describe(rows.error());
    return rows.ok() ? *rows : std::vector<store::Row>{};
  }

  // What someone with write access but without the vault key can do: recompute every link from
  // `from_seq` on with the public, unkeyed chain hash, each linked to the one before.
  void relink_without_the_key(std::int64_t from_seq) {
    std::string prev = engine::kGenesisHash;
    for (const auto& r : entries()) {
      if (r.integer(0) < from_seq) {
        prev = r.text(7);
        continue;
      }
      const nlohmann::json fields = nlohmann::json::array(
          {r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5)});
      const std::string hash = engine::chain_hash(fields, prev);
      tamper("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?",
             {store::Value{prev}, store::Value{hash}, store::Value{r.integer(0)}});
      prev = hash;
    }
  }

  std::optional<engine::AuditLog> log_;
};

TEST_P(AuditLog, AppendChainsEntriesInSequence) {
  append_entries(4);
  const auto rows = entries();
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i].integer(0), static_cast<std::int64_t>(i) + 1);
    EXPECT_EQ(rows[i].text(6), i == 0 ? std::string(engine::kGenesisHash) : rows[i - 1].text(7));
    EXPECT_EQ(rows[i].text(7).size(), 64u);
  }
}

TEST_P(AuditLog, AnUntouchedLogVerifiesIntact) {
  append_entries(5);
  const auto verdict = verify();
  EXPECT_TRUE(verdict.intact()) << verdict.reason;
  EXPECT_EQ(verdict.entries, 5);
}

TEST_P(AuditLog, EditingAnEntryBreaksTheChainAtThatEntry) {
  append_entries(5);
  tamper("UPDATE audit_log SET detail = ? WHERE seq = 3",
         {store::Value{R"({"field":"member.city"})"}});
  const auto verdict = verify();
  EXPECT_EQ(verdict.broken_at, 3);
  EXPECT_THAT(verdict.reason, HasSubstr("edited"));
}

TEST_P(AuditLog, DeletingAMiddleEntryNamesTheMissingSequenceNumber) {
  append_entries(5);
  tamper("DELETE FROM audit_log WHERE seq = 3");
  const auto verdict = verify();
  EXPECT_EQ(verdict.broken_at, 3);
  EXPECT_THAT(verdict.reason, HasSubstr("missing"));
}

TEST_P(AuditLog, InsertingAForgedEntryBreaksTheChainWhereItWasInserted) {
  append_entries(5);
  const std::string prev = entries().at(1).text(7);  // entry 2's hash: the forged entry follows it
  // Make room at 3 (in two steps: the primary key is checked row by row).
  tamper("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3");
  tamper("UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000");
  const nlohmann::json fields = nlohmann::json::array(
      {3, kStart + 90 * kSecond, "staff-7", "pi.read", "member-2", R"({"field":"member.phone"})"});
  tamper(
      "INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, "
      "?, ?, ?, ?, ?, ?, ?)",
      {store::Value{std::int64_t{3}}, store::Value{kStart + 90 * kSecond}, store::Value{"staff-7"},
       store::Value{"pi.read"}, store::Value{"member-2"},
       store::Value{R"({"field":"member.phone"})"}, store::Value{prev},
       store::Value{engine::chain_hash(fields, prev)}});
  relink_without_the_key(
      4);  // and the shifted entries after it, as well as one can without the key

  const auto verdict = verify();
  EXPECT_EQ(verdict.broken_at, 3);
  EXPECT_EQ(verdict.entries, 2);
}

TEST_P(AuditLog, ForgingAChainNeedsTheVaultKey) {
  append_entries(5);
  tamper("UPDATE audit_log SET detail = ? WHERE seq = 3",
         {store::Value{R"({"field":"member.city"})"}});
  relink_without_the_key(3);  // a chain that holds for anyone recomputing plain SHA-256 links
  const auto verdict = verify();
  EXPECT_EQ(verdict.broken_at, 3);
}

TEST_P(AuditLog, AnEntryRollsBackWithTheActionItRecords) {
  Status st = db().transaction([&](store::Session& s) -> Status {
    VEIL_TRY(log_->append(s, engine::AuditEntry{"staff-7", "vault.shred", "member-1", {}}));
    return Error::invalid("action_failed");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), 0);
  append_entries(1);
  EXPECT_EQ(entries().at(0).integer(0), 1);
}

TEST_P(AuditLog, TheChainStillVerifiesAfterMasterKeyRotation) {
  append_entries(3);
  engine::MasterKey next = fresh_master_key();
  ASSERT_TRUE(vault().rotate_master(db(), copy_of(next)).ok());
  std::vector<engine::MasterKey> keyring;
  keyring.push_back(copy_of(next));
  auto new_only = engine::Vault::open(db(), std::move(keyring), clock_);
  ASSERT_TRUE(new_only.ok()) << describe(new_only.error());
  const engine::AuditLog log(clock_, **new_only);

  const auto verdict = verify(log);
  EXPECT_TRUE(verdict.intact()) << verdict.reason;
  EXPECT_EQ(verdict.entries, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLog, kBothBackends, backend_param_name);

}  // namespace
}  // namespace veil::test
