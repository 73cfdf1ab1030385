// [004] 四 / PRIVACY_ENGINE §3: sensitive information is encrypted at rest. After a registration,
// the phone number's plaintext is nowhere in the database, its WAL, or the logs.
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "app/api_server.hpp"

namespace veil::test {
namespace {

using nlohmann::json;

std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path());
  return out;
}

bool contains_bytes(const std::filesystem::path& file, const std::string& needle) {
  std::ifstream in(file, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes.find(needle) != std::string::npos;
}

TEST(VaultAtRest, ThePhoneNumberIsNotInTheDatabaseWalOrLogs) {
  auto started = ApiServer::start(store::Backend::Sqlite);
  ASSERT_TRUE(started.ok());
  ApiServer& api = **started;
  const std::string phone = "13912345678";
  std::string token = api.register_user(phone, {"login", "profile"});
  ASSERT_FALSE(token.empty());
  api.call("PATCH", "/api/v1/me/profile", json{{"nickname", "Plain nickname"}}, token);
  api.call("POST", "/api/v1/auth/logout", std::nullopt, token);
  spdlog::default_logger()->flush();  // the log is flushed every second; scan what it holds now
  auto files = files_under(api.data_dir());
  bool saw_wal = false, saw_log = false, saw_db = false;
  for (const auto& f : files) {
    saw_wal |= f.filename() == "veil.db-wal";
    saw_db |= f.filename() == "veil.db";
    saw_log |= f.extension() == ".log";
    EXPECT_FALSE(contains_bytes(f, phone)) << f;
    EXPECT_FALSE(contains_bytes(f, "139****5678")) << f << " (not even masked)";
  }
  EXPECT_TRUE(saw_db && saw_wal && saw_log) << "the scan must cover the database, its WAL and the logs";
  // The scan can see plaintext: a non-sensitive profile field is stored plain, and it finds it.
  bool found_plain = false;
  for (const auto& f : files) found_plain |= contains_bytes(f, "Plain nickname");
  EXPECT_TRUE(found_plain) << "the scanner would not notice plaintext at all";
}

}  // namespace
}  // namespace veil::test
