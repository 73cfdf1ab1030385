// The operator commands: `veil audit verify` names the first broken entry; configuration files
// are validated with the line of the problem.
#include <fstream>

#include <gtest/gtest.h>

#include "app/api_server.hpp"
#include "app/commands.hpp"

namespace veil::test {
namespace {

struct CommandRun {
  int exit_code = 0;
  std::string output;
};

// Runs `veil audit verify` on the server's own data directory, as an operator would.
CommandRun audit_verify(ApiServer& api) {
  testing::internal::CaptureStdout();
  int code = app::run_audit_verify(api.platform().config());
  return {code, testing::internal::GetCapturedStdout()};
}

Status run_sql(ApiServer& api, const std::string& sql) {
  return api.platform().db().with_session([&](store::Session& s) -> Status {
    VEIL_TRY(s.execute(sql, {}));
    return {};
  });
}

TEST(AuditVerifyCommand, IntactChainExitsZero) {
  auto started = ApiServer::start(store::Backend::Sqlite);
  ASSERT_TRUE(started.ok());
  ApiServer& api = **started;
  api.register_user("13200132000", {"login", "profile"});
  auto [code, out] = audit_verify(api);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("intact"), std::string::npos);
}

TEST(AuditVerifyCommand, AnEditedEntryIsNamedAndExitsNonZero) {
  auto started = ApiServer::start(store::Backend::Sqlite);
  ASSERT_TRUE(started.ok());
  ApiServer& api = **started;
  std::string token = api.register_user("13200132001", {"login"});
  api.post("/api/v1/me/consents", {{"grant", {"profile"}}}, token);
  ASSERT_TRUE(run_sql(api, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2").ok());
  auto [code, out] = audit_verify(api);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("BROKEN at entry 2"), std::string::npos) << out;
}

TEST(AuditVerifyCommand, ARemovedEntryIsNamedAndExitsNonZero) {
  auto started = ApiServer::start(store::Backend::Sqlite);
  ASSERT_TRUE(started.ok());
  ApiServer& api = **started;
  std::string token = api.register_user("13200132002", {"login"});
  api.post("/api/v1/me/consents", {{"grant", {"profile"}}}, token);
  ASSERT_TRUE(run_sql(api, "DELETE FROM audit_log WHERE seq = 2").ok());
  auto [code, out] = audit_verify(api);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("BROKEN at entry 2"), std::string::npos) << out;
}

TEST(AuditVerifyCommand, AnInsertedEntryIsNamedAndExitsNonZero) {
  auto started = ApiServer::start(store::Backend::Sqlite);
  ASSERT_TRUE(started.ok());
  ApiServer& api = **started;
  std::string token = api.register_user("13200132003", {"login"});
  api.post("/api/v1/me/consents", {{"grant", {"profile"}}}, token);
  // Make room after entry 1 and slip a forged entry in, copying entry 1's hash as its link.
  ASSERT_TRUE(run_sql(api, "UPDATE audit_log SET seq = seq + 100 WHERE seq >= 2").ok());
  ASSERT_TRUE(run_sql(api, "UPDATE audit_log SET seq = seq - 99 WHERE seq >= 102").ok());
  ASSERT_TRUE(run_sql(api, "INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) "
                           "SELECT 2, at, 'operator', 'nothing.happened', target, '{}', hash, hash FROM audit_log WHERE seq = 1")
                  .ok());
  auto [code, out] = audit_verify(api);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("BROKEN at entry 2"), std::string::npos) << out;
}

// Loads `text` as a configuration file, from a temporary directory removed afterwards.
Result<app::Config> load_config_text(const std::string& text) {
  char pattern[] = "/tmp/veil-config-XXXXXX";
  if (!mkdtemp(pattern)) return Error::internal("mkdtemp failed");
  std::string path = std::string(pattern) + "/veil.toml";
  std::ofstream(path) << text;
  auto loaded = app::Config::load_file(path);
  std::filesystem::remove_all(pattern);
  return loaded;
}

TEST(ConfigFile, ATypoIsRefusedWithItsLine) {
  auto loaded = load_config_text("listen = \"127.0.0.1:9090\"\n\ndata_dri = \"/srv/veil\"\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().detail.find(":3:"), std::string::npos) << loaded.error().detail;
  EXPECT_NE(loaded.error().detail.find("data_dri"), std::string::npos);
}

TEST(ConfigFile, ValuesFromTheFileAreUsed) {
  auto loaded = load_config_text("listen = \"127.0.0.1:9090\"\ndata_dir = \"/srv/veil\"\nthreads = 4\n[sms]\nprovider = \"http\"\nurl = \"https://sms.example/send\"\nsecret_file = \"/etc/veil/sms.key\"\n[face]\nprovider = \"http\"\nurl = \"https://kyc.example/verify\"\n[live]\nredis = \"127.0.0.1:6380\"\ncard_fields = [\"nickname\", \"industry\"]\nround_hold_ms = 0\nround_from_viewers = 50\n");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->port, 9090);
  EXPECT_EQ(loaded->data_dir, "/srv/veil");
  EXPECT_EQ(loaded->threads, 4);
  EXPECT_EQ(loaded->sms.provider, "http");
  EXPECT_EQ(loaded->sms.secret_file, "/etc/veil/sms.key");
  EXPECT_EQ(loaded->face.url, "https://kyc.example/verify");
  EXPECT_EQ(loaded->payment.provider, "dev");
  EXPECT_EQ(loaded->redis, "127.0.0.1:6380");
  EXPECT_EQ(loaded->card_fields, (std::vector<std::string>{"nickname", "industry"}));
  EXPECT_EQ(loaded->rounds.hold.count(), 0);
  EXPECT_EQ(loaded->rounds.from_connections, 50u);
}

TEST(ConfigFile, PairingSettingsOutOfRangeAreRefused) {
  auto loaded = load_config_text("[live]\nround_hold_ms = 5000\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().reason, "config_invalid");
  EXPECT_NE(loaded.error().detail.find("round_hold_ms"), std::string::npos) << loaded.error().detail;
  auto no_viewers = load_config_text("[live]\nround_from_viewers = 0\n");
  ASSERT_FALSE(no_viewers.ok());
  EXPECT_EQ(no_viewers.error().reason, "config_invalid");
  EXPECT_NE(no_viewers.error().detail.find("round_from_viewers"), std::string::npos) << no_viewers.error().detail;
}

}  // namespace
}  // namespace veil::test
