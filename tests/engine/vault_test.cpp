// Protection at rest (PRIVACY_ENGINE §3): the master key file outside the database, per-subject
// data keys, values bound to their subject and field, crypto-shredding, keyed blind indexes and
// master-key rotation.
#include "engine/vault/vault.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "engine/vault/master_key_file.hpp"
#include "engine_fixture.hpp"

namespace veil::test {
namespace {

constexpr const char* kPhone = "13812345678";

// ---------------------------------------------------------------- the master key file

void write_file(const std::filesystem::path& path, std::string_view content) {
  std::ofstream(path, std::ios::binary) << content;
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST(MasterKeyFile, IsCreatedOwnerOnlyOnFirstRun) {
  TempDir dir;
  auto key = engine::load_master_key(dir / "master.key", /*create=*/true);
  ASSERT_TRUE(key.ok()) << describe(key.error());
  EXPECT_EQ(key->key.size(), 32u);
  EXPECT_EQ(permission_bits(dir / "master.key"), 0600u);
}

TEST(MasterKeyFile, IsRefusedWhenOthersMayReadIt) {
  TempDir dir;
  ASSERT_TRUE(engine::load_master_key(dir / "master.key", true).ok());
  std::filesystem::permissions(
      dir / "master.key", std::filesystem::perms::group_read | std::filesystem::perms::others_read,
      std::filesystem::perm_options::add);  // 0644
  auto key = engine::load_master_key(dir / "master.key", true);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().reason, "key_file_insecure");
}

TEST(MasterKeyFile, CorruptContentIsRefused) {
  TempDir dir;
  for (const std::string& content :
       {std::string("not a key\n"), std::string(64, 'z'), std::string()}) {
    SCOPED_TRACE(content);
    write_file(dir / "master.key", content);
    auto key = engine::load_master_key(dir / "master.key", true);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().reason, "key_file_corrupt");
  }
}

TEST(MasterKeyFile, AMissingFileIsRefusedWhenNotToBeCreated) {
  TempDir dir;
  auto key = engine::load_master_key(dir / "master.key", /*create=*/false);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().reason, "key_file_missing");
  EXPECT_FALSE(std::filesystem::exists(dir / "master.key"));
}

TEST(MasterKeyFile, ReloadsTheSameKeyWithTheSameKeyId) {
  TempDir dir;
  auto first = engine::load_master_key(dir / "master.key", true);
  auto again = engine::load_master_key(dir / "master.key", false);
  ASSERT_TRUE(first.ok()) << describe(first.error());
  ASSERT_TRUE(again.ok()) << describe(again.error());
  EXPECT_TRUE(std::ranges::equal(first->key.view(), again->key.view()));
  EXPECT_EQ(first->key_id, again->key_id);
  EXPECT_EQ(first->key_id.size(), 16u);
}

// ---------------------------------------------------------------- the vault

class Vault : public EngineStorage {
 protected:
  Result<Bytes> seal(engine::Vault& v, const std::string& subject, const std::string& field,
                     const std::string& plain) {
    return store::transact<Bytes>(
        db(), [&](store::Session& s) { return v.seal(s, subject, field, plain); });
  }
  Result<Bytes> seal(const std::string& subject, const std::string& field,
                     const std::string& plain) {
    return seal(vault(), subject, field, plain);
  }

  Result<Pi<std::string>> unseal(engine::Vault& v, const std::string& subject,
                                 const std::string& field, const Bytes& sealed) {
    return store::read<Pi<std::string>>(
        db(), [&](store::Session& s) { return v.unseal(s, subject, field, sealed); });
  }
  Result<Pi<std::string>> unseal(const std::string& subject, const std::string& field,
                                 const Bytes& sealed) {
    return unseal(vault(), subject, field, sealed);
  }

  Status shred(const std::string& subject) {
    return db().transaction([&](store::Session& s) { return vault().shred(s, subject); });
  }

  // A second vault on the same database, as after a restart, with only `key` in its keyring.
  Result<std::unique_ptr<engine::Vault>> reopen_with(const engine::MasterKey& key) {
    std::vector<engine::MasterKey> keyring;
    keyring.push_back(copy_of(key));
    return engine::Vault::open(db(), std::move(keyring), clock_);
  }
};

TEST_P(Vault, ASealedValueUnsealsToItsPlaintext) {
  auto sealed = seal("alice", "member.phone", kPhone);
  ASSERT_TRUE(sealed.ok()) << describe(sealed.error());
  auto opened = unseal("alice", "member.phone", *sealed);
  ASSERT_TRUE(opened.ok()) << describe(opened.error());
  EXPECT_EQ(opened->reveal(), kPhone);
}

TEST_P(Vault, CiphertextDoesNotContainThePlaintext) {
  auto sealed = seal("alice", "member.phone", kPhone);
  ASSERT_TRUE(sealed.ok()) << describe(sealed.error());
  const std::string_view plain(kPhone);
  EXPECT_EQ(std::search(sealed->begin(), sealed->end(), plain.begin(), plain.end()), sealed->end());
}

TEST_P(Vault, CiphertextMovedToAnotherSubjectDoesNotOpen) {
  auto alices = seal("alice", "member.phone", kPhone);
  ASSERT_TRUE(alices.ok()) << describe(alices.error());
  ASSERT_TRUE(seal("bob", "member.phone", "13900000000").ok());  // bob has a data key of his own
  auto opened = unseal("bob", "member.phone", *alices);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().reason, "vault_error");
}

TEST_P(Vault, CiphertextMovedToAnotherFieldDoesNotOpen) {
  auto sealed = seal("alice", "member.phone", kPhone);
  ASSERT_TRUE(sealed.ok()) << describe(sealed.error());
  auto opened = unseal("alice", "guardian.phone", *sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().reason, "vault_error");
}

TEST_P(Vault, ShreddingMakesTheSubjectsCiphertextUnopenable) {
  auto sealed = seal("alice", "member.phone", kPhone);
  ASSERT_TRUE(sealed.ok()) << describe(sealed.error());
  ASSERT_TRUE(shred("alice").ok());

  auto opened = unseal("alice", "member.phone", *sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().reason, "subject_key_missing");
  // Nor after a restart, when no cache can remember the key.
  auto restarted = reopen_with(master_);
  ASSERT_TRUE(restarted.ok()) << describe(restarted.error());
  auto reopened = unseal(**restarted, "alice", "member.phone", *sealed);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().reason, "subject_key_missing");
}

TEST_P(Vault, ShreddingReachesAnotherVaultOnTheSameDatabase) {
  // Another server node, or the erasure command, has the same database open.
  auto other_node = reopen_with(master_);
  ASSERT_TRUE(other_node.ok()) << describe(other_node.error());
  auto sealed = seal("alice", "member.phone", kPhone);
  ASSERT_TRUE(sealed.ok()) << describe(sealed.error());
  ASSERT_TRUE(
      unseal(**other_node, "alice", "member.phone", *sealed).ok());  // it has read her phone before

  ASSERT_TRUE(shred("alice").ok());
  // The other process may hold the key in memory for a bounded time, never longer.
  clock_.advance(engine::Vault::kKeyCacheLifetime);
  auto opened = unseal(**other_node, "alice", "member.phone", *sealed);
  ASSERT_FALSE(opened.ok()) << "another vault still opens a shredded subject's ciphertext";
  EXPECT_EQ(opened.error().reason, "subject_key_missing");
}

TEST_P(Vault, ShreddingRemovesTheSubjectsKeyRow) {
  ASSERT_TRUE(seal("alice", "member.phone", kPhone).ok());
  ASSERT_TRUE(seal("bob", "member.phone", "13900000000").ok());
  ASSERT_EQ(
      count("SELECT COUNT(*) FROM subject_keys WHERE subject_id = ?", {store::Value{"alice"}}), 1);
  ASSERT_TRUE(shred("alice").ok());
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM subject_keys WHERE subject_id = ?", {store::Value{"alice"}}), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM subject_keys WHERE subject_id = ?", {store::Value{"bob"}}),
            1);
}

TEST_P(Vault, ShreddingOneSubjectLeavesOthersReadable) {
  auto bobs = seal("bob", "member.phone", "13900000000");
  ASSERT_TRUE(bobs.ok()) << describe(bobs.error());
  ASSERT_TRUE(seal("alice", "member.phone", kPhone).ok());
  ASSERT_TRUE(shred("alice").ok());
  auto opened = unseal("bob", "member.phone", *bobs);
  ASSERT_TRUE(opened.ok()) << describe(opened.error());
  EXPECT_EQ(opened->reveal(), "13900000000");
}

TEST_P(Vault, BlindIndexIsEqualForEqualInput) {
  EXPECT_EQ(vault().blind_index("phone", kPhone), vault().blind_index("phone", kPhone));
  EXPECT_NE(vault().blind_index("phone", kPhone), vault().blind_index("phone", "13812345679"));
  EXPECT_EQ(vault().blind_index("phone", kPhone).find(kPhone), std::string::npos);
}

TEST_P(Vault, BlindIndexDiffersAcrossDomains) {
  EXPECT_NE(vault().blind_index("phone", kPhone), vault().blind_index("id_number", kPhone));
}

TEST_P(Vault, BlindIndexDiffersUnderAnotherVaultsKey) {
  // Another deployment: its own database, so its own random index key.
  auto other_database = TestDatabase::create(GetParam());
  ASSERT_TRUE(other_database.ok()) << describe(other_database.error());
  const auto migrations = engine::engine_migrations();
  ASSERT_TRUE((*other_database)->db().migrate(migrations).ok());
  std::vector<engine::MasterKey> keyring;
  keyring.push_back(fresh_master_key());
  auto other = engine::Vault::open((*other_database)->db(), std::move(keyring), clock_);
  ASSERT_TRUE(other.ok()) << describe(other.error());

  EXPECT_NE(vault().blind_index("phone", kPhone), (*other)->blind_index("phone", kPhone));
}

TEST_P(Vault, AfterRotationTheNewKeyAloneOpensOldCiphertext) {
  auto sealed = seal("alice", "member.phone", kPhone);
  ASSERT_TRUE(sealed.ok()) << describe(sealed.error());
  engine::MasterKey next = fresh_master_key();
  Status rotated = vault().rotate_master(db(), copy_of(next));
  ASSERT_TRUE(rotated.ok()) << describe(rotated.error());
  EXPECT_EQ(vault().current_key_id(), next.key_id);
  EXPECT_EQ(count("SELECT COUNT(*) FROM subject_keys WHERE master_key_id <> ?",
                  {store::Value{next.key_id}}),
            0);

  auto new_only = reopen_with(next);
  ASSERT_TRUE(new_only.ok()) << describe(new_only.error());
  auto opened = unseal(**new_only, "alice", "member.phone", *sealed);
  ASSERT_TRUE(opened.ok()) << describe(opened.error());
  EXPECT_EQ(opened->reveal(), kPhone);
}

TEST_P(Vault, AfterRotationBlindIndexesStayTheSame) {
  const std::string before = vault().blind_index("phone", kPhone);
  engine::MasterKey next = fresh_master_key();
  ASSERT_TRUE(vault().rotate_master(db(), copy_of(next)).ok());
  auto new_only = reopen_with(next);
  ASSERT_TRUE(new_only.ok()) << describe(new_only.error());
  EXPECT_EQ((*new_only)->blind_index("phone", kPhone), before);
}

TEST_P(Vault, AfterRotationTheOldKeyAloneOpensNothing) {
  ASSERT_TRUE(seal("alice", "member.phone", kPhone).ok());
  ASSERT_TRUE(vault().rotate_master(db(), fresh_master_key()).ok());
  // Every wrapped key, the index and hash keys included, now needs the new master key: a vault
  // holding only the old one cannot even open, let alone reach alice's data key.
  auto old_only = reopen_with(master_);
  ASSERT_FALSE(old_only.ok());
  EXPECT_EQ(old_only.error().reason, "vault_error");
}

TEST_P(Vault, AFailedRotationKeepsWrappingUnderTheCurrentKey) {
  // A data key that no longer opens (damaged on disk) makes the rotation fail and roll back.
  tamper(
      "INSERT INTO subject_keys (subject_id, wrapped_key, master_key_id, created_at) VALUES (?, ?, "
      "?, ?)",
      {store::Value{"mallory"}, store::Value{Bytes(72, 0x5a)}, store::Value{master_.key_id},
       store::Value{kStart}});
  Status rotated = vault().rotate_master(db(), fresh_master_key());
  ASSERT_FALSE(rotated.ok());

  // Nothing was rotated, so the master key file on disk is still the only key needed: a subject
  // who arrives now must be readable after a restart with just that key.
  EXPECT_EQ(vault().current_key_id(), master_.key_id);
  auto sealed = seal("carol", "member.phone", kPhone);
  ASSERT_TRUE(sealed.ok()) << describe(sealed.error());
  auto restarted = reopen_with(master_);
  ASSERT_TRUE(restarted.ok()) << describe(restarted.error());
  auto opened = unseal(**restarted, "carol", "member.phone", *sealed);
  ASSERT_TRUE(opened.ok()) << describe(opened.error());
  EXPECT_EQ(opened->reveal(), kPhone);
}

INSTANTIATE_TEST_SUITE_P(Backends, Vault, kBothBackends, backend_param_name);

}  // namespace
}  // namespace veil::test
