#pragma once
// A real Veil server for one test: a Platform on a temporary data directory (SQLite there, or a
// fresh PostgreSQL database), a WebServer on a free loopback port serving from a thread, and a
// small JSON client. Stopped and removed when the test ends.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/platform.hpp"
#include "app/web_server.hpp"
#include "http/curl_http_client.hpp"
#include "support/postgres_server.hpp"
#include "support/test_database.hpp"

namespace veil::test {

struct ApiReply {
  long status = 0;
  nlohmann::json body;
  std::string raw;
  HttpResponse http;  // status, raw body and headers as received
  std::string error_code() const { return body.contains("error") ? body["error"].value("code", "") : ""; }
};

class ApiServer {
 public:
  // Fails (the test should skip) only when PostgreSQL is asked for and not installed.
  // `configure` may change the configuration before the platform opens.
  static Result<std::unique_ptr<ApiServer>> start(store::Backend backend, bool dev = true,
                                                  const std::function<void(app::Config&)>& configure = nullptr);
  ~ApiServer();

  ApiReply call(const std::string& method, const std::string& path, const std::optional<nlohmann::json>& body = std::nullopt,
                const std::string& token = "", const std::string& content_type = "application/json");
  ApiReply get(const std::string& path, const std::string& token = "") { return call("GET", path, std::nullopt, token); }
  ApiReply post(const std::string& path, const nlohmann::json& body, const std::string& token = "") {
    return call("POST", path, body, token);
  }
  // Sends raw bytes as the body (malformed JSON, huge bodies).
  ApiReply send_raw(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& content_type = "application/json", const std::string& token = "",
                    const std::vector<std::pair<std::string, std::string>>& headers = {});

  // The newest code the development outbox holds for `phone`.
  std::string latest_code(const std::string& phone);
  // Sends a code and registers; returns the session token (birth_date optional).
  std::string register_user(const std::string& phone, const std::vector<std::string>& purposes = {"login"},
                            const std::optional<std::string>& birth_date = std::nullopt);
  // Rows per table, for "nothing was stored" checks.
  std::map<std::string, std::int64_t> row_counts();
  // Audit entries with this action (-1 when the log cannot be read).
  std::int64_t audit_count(const std::string& action);

  app::Platform& platform() { return *platform_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  unsigned short port() const { return port_; }
  void advance_clock_seconds(std::int64_t seconds);

 private:
  ApiServer() = default;
  std::unique_ptr<TestDatabase> database_;  // PostgreSQL database (unused for SQLite)
  std::filesystem::path data_dir_;
  std::unique_ptr<app::Platform> platform_;
  std::unique_ptr<app::WebServer> server_;
  std::thread serving_;
  unsigned short port_ = 0;
  http::CurlHttpClient client_;
};

// Instantiates a parameterised suite over both backends; skips visibly without PostgreSQL.
#define VEIL_START_API_SERVER(var, backend, ...)                                                  \
  auto var##_started = ::veil::test::ApiServer::start(backend __VA_OPT__(, ) __VA_ARGS__);         \
  if (!var##_started.ok()) {                                                                      \
    if (var##_started.error().reason == ::veil::test::PostgresServer::kBinariesMissing)           \
      GTEST_SKIP() << "SKIPPED: PostgreSQL binaries not found";                                   \
    FAIL() << var##_started.error().reason << ": " << var##_started.error().detail;               \
  }                                                                                               \
  auto& var = *var##_started.value()

}  // namespace veil::test

// Runs a TEST_P suite against both backends, named Sqlite / Postgres.
#define VEIL_ON_BOTH_BACKENDS(suite)                                                                \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                         \
                           ::testing::Values(::veil::store::Backend::Sqlite, ::veil::store::Backend::Postgres), \
                           [](const auto& backend_info) { return ::veil::test::backend_name(backend_info.param); })
