#pragma once
// What the engine suites share: an empty database of either backend per test with the engine's
// tables migrated, a vault on it under a throwaway master key, a small data map of our own that
// declares one test table (`members`), and temporary directories for key files.
#include <gtest/gtest.h>
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "engine/datamap/data_map.hpp"
#include "engine/engine_schema.hpp"
#include "engine/vault/master_key_file.hpp"
#include "engine/vault/vault.hpp"
#include "store/database.hpp"
#include "support/postgres_server.hpp"
#include "support/test_database.hpp"
#include "util/clock.hpp"

namespace veil::test {

// A fixed start, so every run sees the same times.
inline constexpr Millis kStart = 1'790'000'000'000;

inline std::filesystem::path source_path(std::string_view relative) {
  return std::filesystem::path(VEIL_SOURCE_DIR) / relative;
}

// The declaration the server loads.
inline Result<engine::DataMap> real_map() {
  return engine::DataMap::load_file(source_path("datamap/datamap.toml").string());
}

inline std::string describe(const Error& e) { return e.reason + ": " + e.detail; }

// The test table: who a member is (owner), what they call themselves and where they live (plain),
// their phone (encrypted), and when they joined (not personal).
inline constexpr const char* kMembersTable =
    "CREATE TABLE members (member_id TEXT PRIMARY KEY, nickname TEXT, city TEXT, "
    "phone_cipher BLOB, joined_at BIGINT NOT NULL)";

// A data map of our own: the engine's tables exactly as engine_migrations() creates them, plus
// `members`. Purposes: `profile` (consent) and `greetings` (consent) both use the nickname;
// `profile` and `delivery` (contract) both use the city; `contact` (separate consent) the phone.
inline constexpr std::string_view kMembersMap = R"(version = "test-1"
effective = "2026-01-01"

[[category]]
id = "contact"
name = { zh-CN = "联系方式", en = "Contact details" }
sensitive = true

[[category]]
id = "profile"
name = { zh-CN = "个人资料", en = "Profile" }

[[category]]
id = "records"
name = { zh-CN = "记录", en = "Records" }

[[table]]
name = "schema_migrations"
nonpersonal = ["version", "name"]

[[table]]
name = "vault_meta"
nonpersonal = ["name", "wrapped", "master_key_id", "updated_at"]

[[table]]
name = "subject_keys"
owner = "subject_id"
nonpersonal = ["wrapped_key", "master_key_id", "created_at"]

[[table]]
name = "policy_versions"
nonpersonal = ["version", "text_sha256", "published_at", "material"]

[[table]]
name = "audit_log"
nonpersonal = ["seq", "at", "action", "detail", "prev_hash", "hash"]

[[table]]
name = "consent_records"
owner = "subject_id"
nonpersonal = ["seq", "policy_version", "action", "channel", "at", "prev_hash", "hash"]

[[table]]
name = "members"
owner = "member_id"
nonpersonal = ["joined_at"]

[[field]]
id = "audit.actor"
column = "audit_log.actor"
category = "records"
protection = "plain"
retention = "3y"
name = { zh-CN = "审计操作人", en = "Audit actor" }

[[field]]
id = "audit.target"
column = "audit_log.target"
category = "records"
protection = "plain"
retention = "3y"
name = { zh-CN = "审计对象", en = "Audit target" }

[[field]]
id = "consent.purposes"
column = "consent_records.purposes"
category = "records"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "同意记录", en = "Consent records" }

[[field]]
id = "consent.actor"
column = "consent_records.actor"
category = "records"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "同意人", en = "Who consented" }

[[field]]
id = "member.nickname"
column = "members.nickname"
category = "profile"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "昵称", en = "Nickname" }

[[field]]
id = "member.city"
column = "members.city"
category = "profile"
protection = "plain"
retention = "until_cancellation"
name = { zh-CN = "城市", en = "City" }

[[field]]
id = "member.phone"
column = "members.phone_cipher"
category = "contact"
protection = "encrypted"
retention = "until_cancellation"
name = { zh-CN = "手机号码", en = "Phone number" }

[[feature]]
id = "membership"
name = { zh-CN = "会员", en = "Membership" }
required_fields = ["audit.actor", "audit.target", "consent.purposes", "consent.actor"]
optional_fields = ["member.nickname", "member.city", "member.phone"]

[[purpose]]
id = "records"
feature = "membership"
basis = "legal_obligation"
fields = ["audit.actor", "audit.target", "consent.purposes", "consent.actor"]
name = { zh-CN = "记录", en = "Records" }
description = { zh-CN = "依法记录。", en = "Kept as the law requires." }

[[purpose]]
id = "profile"
feature = "membership"
basis = "consent"
fields = ["member.nickname", "member.city"]
name = { zh-CN = "资料", en = "Profile" }
description = { zh-CN = "展示资料。", en = "Shows your profile." }

[[purpose]]
id = "greetings"
feature = "membership"
basis = "consent"
fields = ["member.nickname"]
name = { zh-CN = "问候", en = "Greetings" }
description = { zh-CN = "称呼您。", en = "Greets you by name." }

[[purpose]]
id = "delivery"
feature = "membership"
basis = "contract"
fields = ["member.city"]
name = { zh-CN = "配送", en = "Delivery" }
description = { zh-CN = "配送。", en = "Delivers what you ordered." }

[[purpose]]
id = "contact"
feature = "membership"
basis = "separate_consent"
separate = ["sensitive"]
fields = ["member.phone"]
name = { zh-CN = "联系", en = "Contact" }
description = { zh-CN = "联系您。", en = "Contacts you." }
)";

inline Result<engine::DataMap> members_map() {
  return engine::DataMap::parse(kMembersMap, "members.toml");
}

inline engine::MasterKey fresh_master_key() {
  if (sodium_init() < 0) ADD_FAILURE() << "libsodium failed to initialise";
  return engine::make_master_key(SecretBytes::random(32));
}

inline engine::MasterKey copy_of(const engine::MasterKey& key) {
  return engine::MasterKey{key.key.copy(), key.key_id};
}

inline unsigned permission_bits(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 07777;  // no file: matches no expected mode
  return st.st_mode & 0777;
}

// A directory of our own for key files (mkdtemp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "veil-engine-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
      return;
    }
    dir_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path operator/(std::string_view name) const { return dir_ / name; }

 private:
  std::filesystem::path dir_;
};

// A suite that touches storage: each test gets an empty database of the parameter's backend with
// engine_migrations() applied. Instantiate with kBothBackends and backend_param_name.
class EngineStorage : public ::testing::TestWithParam<store::Backend> {
 protected:
  void SetUp() override {
    auto made = TestDatabase::create(GetParam());
    if (!made.ok() && made.error().reason == PostgresServer::kBinariesMissing)
      GTEST_SKIP() << "SKIPPED: PostgreSQL binaries not found";
    ASSERT_TRUE(made.ok()) << describe(made.error());
    database_ = std::move(*made);
    const auto migrations = engine::engine_migrations();
    Status migrated = db().migrate(migrations);
    ASSERT_TRUE(migrated.ok()) << describe(migrated.error());
    std::vector<engine::MasterKey> keyring;
    keyring.push_back(copy_of(master_));
    auto opened = engine::Vault::open(db(), std::move(keyring), clock_);
    ASSERT_TRUE(opened.ok()) << describe(opened.error());
    vault_ = std::move(*opened);
  }

  store::Database& db() { return database_->db(); }

  // A table of the test's own, created the way the application creates tables: as a migration.
  void create_table(std::string sql) {
    const store::Migration migration{next_migration_++, "test table", std::move(sql)};
    Status st = db().migrate(std::span(&migration, 1));
    ASSERT_TRUE(st.ok()) << describe(st.error());
  }

  // Runs one statement outside the engine: how a test plays someone with write access to the
  // database (an attacker, a careless script).
  void tamper(const std::string& sql, std::initializer_list<store::Value> params = {}) {
    Status st = db().with_session([&](store::Session& s) -> Status {
      VEIL_TRY(s.execute(sql, params));
      return {};
    });
    ASSERT_TRUE(st.ok()) << describe(st.error());
  }

  std::int64_t count(const std::string& sql, std::initializer_list<store::Value> params = {}) {
    auto rows = store::read<std::vector<store::Row>>(
        db(), [&](store::Session& s) { return s.query(sql, params); });
    EXPECT_TRUE(rows.ok()) << describe(rows.error());
    return rows.ok() && !rows->empty() ? rows->at(0).integer(0) : -1;
  }

  // The vault on this database under `master_` (opened in SetUp).
  engine::Vault& vault() { return *vault_; }

  ManualClock clock_{kStart};
  engine::MasterKey master_ = fresh_master_key();

 private:
  int next_migration_ = 900;  // after every layer's range, so nothing real is shadowed
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<engine::Vault> vault_;  // borrows clock_: declared after it, destroyed before
};

inline const auto kBothBackends =
    ::testing::Values(store::Backend::Sqlite, store::Backend::Postgres);

inline std::string backend_param_name(const ::testing::TestParamInfo<store::Backend>& info) {
  return backend_name(info.param);
}

}  // namespace veil::test
