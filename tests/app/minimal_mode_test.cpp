// Minimal mode ([004] 首段: 未明示同意本政策 → 仅收集维持浏览所必需的信息): a visitor who has not
// accepted the policy can browse, and nothing personal is stored or logged.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "app/api_server.hpp"

namespace veil::test {
namespace {

class MinimalMode : public ::testing::TestWithParam<store::Backend> {};

std::map<std::string, std::int64_t> personal_counts(ApiServer& api) {
  std::map<std::string, std::int64_t> out;
  auto all = api.row_counts();
  for (const auto& table : api.platform().engine().map().personal_tables()) out[table] = all[table];
  return out;
}

TEST_P(MinimalMode, BrowsingWithoutConsentStoresNoPersonalRow) {
  VEIL_START_API_SERVER(api, GetParam());
  auto before = personal_counts(api);
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(api.get("/healthz").status, 200);
  EXPECT_EQ(api.get("/api/v1/info").status, 200);
  EXPECT_EQ(api.get("/api/v1/policy").status, 200);
  for (const char* doc : {"privacy-policy", "collected-pi", "third-parties", "permissions"})
    for (const char* lang : {"zh-CN", "en"})
      EXPECT_EQ(api.get(std::string("/api/v1/policy/documents/") + doc + "?lang=" + lang).status, 200);
  EXPECT_EQ(api.get("/api/v1/policy/public-key").status, 200);
  // Everything that would collect is refused without the policy.
  EXPECT_EQ(api.post("/api/v1/auth/code", {{"phone", "13700137000"}}).error_code(), "policy_not_accepted");
  EXPECT_EQ(api.post("/api/v1/auth/verify", {{"phone", "13700137000"}, {"code", "123456"}}).error_code(), "code_invalid");
  EXPECT_EQ(api.get("/api/v1/me").status, 401);
  EXPECT_EQ(personal_counts(api), before);
}

TEST_P(MinimalMode, BrowsingWritesNoPersonalInformationToTheLogs) {
  VEIL_START_API_SERVER(api, GetParam());
  api.get("/api/v1/policy/documents/privacy-policy?lang=en&phone=13700137001");
  api.post("/api/v1/auth/code", {{"phone", "13700137001"}});
  api.get("/api/v1/dev/outbox?phone=13700137001");
  spdlog::default_logger()->flush();  // the log is flushed every second; read it now
  std::ifstream log(api.data_dir() / "logs" / "veil.log");
  std::stringstream text;
  text << log.rdbuf();
  EXPECT_NE(text.str().find("/api/v1/auth/code"), std::string::npos) << "the access log should record the route";
  EXPECT_EQ(text.str().find("13700137001"), std::string::npos);
  EXPECT_EQ(text.str().find("127.0.0.1"), std::string::npos) << "client addresses are personal: not logged";
}

VEIL_ON_BOTH_BACKENDS(MinimalMode);

}  // namespace
}  // namespace veil::test
