// The typed accessor every module reads and writes personal information through: it names a
// purpose, the data map says whether that purpose may use the field and whether it needs consent
// now, and the field's protection is applied. After a withdrawal, what only that purpose kept is
// erased. Runs on the `members` test table and its map (engine_fixture.hpp).
#include "engine/access/field_access.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "engine/access/withdrawal.hpp"
#include "engine_fixture.hpp"

namespace veil::test {
namespace {

using engine::ConsentAction;

constexpr const char* kPhone = "13812345678";

class FieldAccess : public EngineStorage {
 protected:
  void SetUp() override {
    EngineStorage::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    create_table(kMembersTable);
    auto map = members_map();
    ASSERT_TRUE(map.ok()) << describe(map.error());
    map_.emplace(std::move(*map));
    ledger_.emplace(*map_, clock_);
    access_.emplace(*map_, vault(), *ledger_);
  }

  void consent(const std::string& subject, ConsentAction action,
               std::vector<std::string> purposes) {
    const engine::ConsentChange change{subject, map_->version(), action, std::move(purposes),
                                       "web",   subject};
    auto recorded = store::transact<engine::ConsentRecord>(
        db(), [&](store::Session& s) { return ledger_->record(s, change); });
    ASSERT_TRUE(recorded.ok()) << describe(recorded.error());
  }

  Status check(const std::string& subject, std::string_view purpose, std::string_view field) {
    return db().with_session(
        [&](store::Session& s) { return access_->check(s, subject, purpose, field); });
  }

  // Outside any transaction, so whatever the accessor itself writes stays written.
  Result<store::Value> encode(const std::string& subject, std::string_view purpose,
                              std::string_view field, std::optional<std::string_view> plaintext) {
    return store::read<store::Value>(db(), [&](store::Session& s) {
      return access_->encode(s, subject, purpose, field, plaintext);
    });
  }

  Result<std::optional<Pi<std::string>>> decode(const std::string& subject,
                                                std::string_view purpose, std::string_view field,
                                                const store::Value& stored) {
    return store::read<std::optional<Pi<std::string>>>(db(), [&](store::Session& s) {
      return access_->decode(s, subject, purpose, field, stored);
    });
  }

  // A member row as a module writes it: each value through the accessor.
  void add_member(const std::string& subject, std::optional<std::string_view> nickname,
                  std::optional<std::string_view> city) {
    auto nick = encode(subject, "profile", "member.nickname", nickname);
    ASSERT_TRUE(nick.ok()) << describe(nick.error());
    auto town = encode(subject, "delivery", "member.city", city);
    ASSERT_TRUE(town.ok()) << describe(town.error());
    tamper("INSERT INTO members (member_id, nickname, city, joined_at) VALUES (?, ?, ?, ?)",
           {store::Value{subject}, *nick, *town, store::Value{kStart}});
  }

  store::Value stored(const std::string& column, const std::string& subject) {
    auto rows = store::read<std::vector<store::Row>>(db(), [&](store::Session& s) {
      return s.query("SELECT " + column + " FROM members WHERE member_id = ?",
                     {store::Value{subject}});
    });
    EXPECT_TRUE(rows.ok() && rows->size() == 1) << subject;
    return rows.ok() && rows->size() == 1 ? rows->at(0).at(0) : store::Value{"(no row)"};
  }

  Status erase_after_withdrawal(const std::string& subject, const std::string& purpose) {
    return db().transaction([&](store::Session& s) {
      return engine::erase_after_withdrawal(s, *map_, *ledger_, subject, purpose);
    });
  }

  std::optional<engine::DataMap> map_;
  std::optional<engine::ConsentLedger> ledger_;
  std::optional<engine::FieldAccess> access_;
};

TEST_P(FieldAccess, AConsentBasedPurposeWithoutConsentIsRefusedAndNothingIsWritten) {
  auto value = encode("alice", "contact", "member.phone", kPhone);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().reason, "consent_required");
  EXPECT_EQ(value.error().code, ErrorCode::ConsentRequired);
  // Not even a data key was made for her.
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM subject_keys WHERE subject_id = ?", {store::Value{"alice"}}), 0);
}

TEST_P(FieldAccess, AnEncryptedFieldRoundTripsWithConsent) {
  consent("alice", ConsentAction::Grant, {"contact"});
  auto value = encode("alice", "contact", "member.phone", kPhone);
  ASSERT_TRUE(value.ok()) << describe(value.error());
  ASSERT_TRUE(std::holds_alternative<Bytes>(*value));
  tamper("INSERT INTO members (member_id, phone_cipher, joined_at) VALUES (?, ?, ?)",
         {store::Value{"alice"}, *value, store::Value{kStart}});

  auto read_back = decode("alice", "contact", "member.phone", stored("phone_cipher", "alice"));
  ASSERT_TRUE(read_back.ok()) << describe(read_back.error());
  ASSERT_TRUE(read_back->has_value());
  EXPECT_EQ((*read_back)->reveal(), kPhone);
}

TEST_P(FieldAccess, APlainFieldRoundTripsWithConsent) {
  consent("alice", ConsentAction::Grant, {"profile"});
  auto value = encode("alice", "profile", "member.nickname", "小鱼");
  ASSERT_TRUE(value.ok()) << describe(value.error());
  EXPECT_EQ(*value, store::Value{"小鱼"});
  auto read_back = decode("alice", "profile", "member.nickname", *value);
  ASSERT_TRUE(read_back.ok()) << describe(read_back.error());
  ASSERT_TRUE(read_back->has_value());
  EXPECT_EQ((*read_back)->reveal(), "小鱼");
}

TEST_P(FieldAccess, AContractPurposeNeedsNoConsent) {
  auto value = encode("alice", "delivery", "member.city", "杭州");
  ASSERT_TRUE(value.ok()) << describe(value.error());
  EXPECT_EQ(*value, store::Value{"杭州"});
}

TEST_P(FieldAccess, APurposeThatDoesNotDeclareTheFieldIsPurposeMismatch) {
  consent("alice", ConsentAction::Grant, {"profile"});
  auto value = encode("alice", "profile", "member.phone", kPhone);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().reason, "purpose_mismatch");
  EXPECT_EQ(value.error().code, ErrorCode::PermissionDenied);
}

TEST_P(FieldAccess, WithdrawalStopsProcessingFromThatMoment) {
  consent("alice", ConsentAction::Grant, {"profile"});
  EXPECT_TRUE(check("alice", "profile", "member.nickname").ok());
  clock_.advance(kMinute);
  consent("alice", ConsentAction::Withdraw, {"profile"});
  Status after = check("alice", "profile", "member.nickname");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().reason, "consent_required");
}

INSTANTIATE_TEST_SUITE_P(Backends, FieldAccess, kBothBackends, backend_param_name);

// ---------------------------------------------------------------- erasure after withdrawal

class ErasureAfterWithdrawal : public FieldAccess {};

TEST_P(ErasureAfterWithdrawal, ClearsTheWithdrawnPurposesColumnForThatSubjectOnly) {
  consent("alice", ConsentAction::Grant, {"profile"});
  consent("bob", ConsentAction::Grant, {"profile"});
  add_member("alice", "小鱼", std::nullopt);
  add_member("bob", "阿明", std::nullopt);
  consent("alice", ConsentAction::Withdraw, {"profile"});

  ASSERT_TRUE(erase_after_withdrawal("alice", "profile").ok());
  EXPECT_EQ(stored("nickname", "alice"), store::Value{store::Null{}});
  EXPECT_EQ(stored("nickname", "bob"), store::Value{"阿明"});
}

TEST_P(ErasureAfterWithdrawal, KeepsAColumnAnotherPurposeStillStandsOn) {
  consent("alice", ConsentAction::Grant, {"profile"});
  add_member("alice", "小鱼", "杭州");  // the city serves the profile and, by contract, delivery
  consent("alice", ConsentAction::Withdraw, {"profile"});

  ASSERT_TRUE(erase_after_withdrawal("alice", "profile").ok());
  EXPECT_EQ(stored("city", "alice"), store::Value{"杭州"});
  EXPECT_EQ(stored("nickname", "alice"), store::Value{store::Null{}});
}

TEST_P(ErasureAfterWithdrawal, KeepsAColumnAnotherGrantedConsentStillCovers) {
  consent("alice", ConsentAction::Grant, {"profile", "greetings"});
  add_member("alice", "小鱼", std::nullopt);
  consent("alice", ConsentAction::Withdraw, {"profile"});

  ASSERT_TRUE(erase_after_withdrawal("alice", "profile").ok());
  EXPECT_EQ(stored("nickname", "alice"), store::Value{"小鱼"});
}

INSTANTIATE_TEST_SUITE_P(Backends, ErasureAfterWithdrawal, kBothBackends, backend_param_name);

}  // namespace
}  // namespace veil::test
