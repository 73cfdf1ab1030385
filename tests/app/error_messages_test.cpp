// Every error code the server can send has a message in zh-CN and en (i18n/errors.toml). The
// codes are read from the source, so a new one without a message fails here.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/api/error_messages.hpp"

namespace veil::test {
namespace {

std::set<std::string> reasons_in_source() {
  // Error::invalid("x"…), Error::exhausted("x"…), Error{ErrorCode::…, "x"…}, response(NNN, "x"),
  // error_response(NNN, "x")
  const std::regex patterns(R"((?:Error::(?:invalid|exhausted)\(|ErrorCode::\w+,\s*|response\(\d{3},\s*)\"([a-z_]+)\")");
  std::set<std::string> found;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::filesystem::path(VEIL_SOURCE_DIR) / "src")) {
    if (e.path().extension() != ".cpp" && e.path().extension() != ".hpp") continue;
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    for (std::sregex_iterator it(s.begin(), s.end(), patterns), end; it != end; ++it) found.insert((*it)[1]);
  }
  return found;
}

TEST(ErrorMessages, EveryCodeTheServerUsesHasBothMessages) {
  auto messages = app::ErrorMessages::load_file(std::string(VEIL_SOURCE_DIR) + "/i18n/errors.toml");
  ASSERT_TRUE(messages.ok()) << messages.error().detail;
  auto reasons = reasons_in_source();
  ASSERT_GT(reasons.size(), 30u) << "the scan found too few codes to be trusted";
  // Reasons that never reach a client: start-up and configuration errors, printed by the CLI.
  const std::set<std::string> startup_only = {"datamap_invalid", "policy_fragments_invalid", "errors_file_invalid",
                                              "config_invalid", "key_file_unwritable", "key_file_missing",
                                              "key_file_insecure", "key_file_unreadable", "key_file_corrupt",
                                              "policy_version_reused", "listen_failed", "http_client_unavailable",
                                              "upstream_unavailable", "text_contains_nul", "pool_size_invalid",
                                              // media: configuration and child processes, checked when veil serve starts
                                              "face_mask_options", "face_detector_options", "janus_debug_level_invalid",
                                              "janus_http_port_invalid", "janus_ice_interface_invalid",
                                              "janus_ice_interface_not_found", "janus_ice_interfaces_missing",
                                              "janus_ice_loopback_unsupported", "janus_missing", "janus_no_ice_interface",
                                              "janus_port_range_invalid", "mountpoint_invalid", "mountpoint_create_failed",
                                              "process_argv_invalid", "process_backoff_invalid", "process_name_missing",
                                              "rtmp_hook_invalid", "rtmp_listen_invalid", "rtmp_unavailable"};
  for (const auto& r : reasons) {
    if (startup_only.count(r)) continue;
    EXPECT_TRUE(messages->knows(r)) << "i18n/errors.toml has no message for \"" << r << "\"";
  }
}

TEST(ErrorMessages, InternalErrorsNeverShowTheirDetail) {
  auto messages = app::ErrorMessages::load_file(std::string(VEIL_SOURCE_DIR) + "/i18n/errors.toml");
  ASSERT_TRUE(messages.ok());
  auto response = messages->response(Error::internal("sqlite: no such table accounts"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("sqlite"), std::string::npos);
  EXPECT_NE(response.body.find("\"internal\""), std::string::npos);
}

TEST(ErrorMessages, ARefusalThatEndsSaysWhenToTryAgainInTheBodyAndTheRetryAfterHeader) {
  auto messages = app::ErrorMessages::load_file(std::string(VEIL_SOURCE_DIR) + "/i18n/errors.toml");
  ASSERT_TRUE(messages.ok());
  auto limited = messages->response(Error::exhausted("rate_limited", 1'500));
  EXPECT_EQ(limited.status, 429);
  auto body = nlohmann::json::parse(limited.body);
  EXPECT_EQ(body["error"]["code"], "rate_limited");
  EXPECT_EQ(body["error"]["retry_after"], 2) << "seconds, rounded up";
  EXPECT_FALSE(body["error"]["message"]["zh-CN"].get<std::string>().empty());
  std::string header;
  for (const auto& [name, value] : limited.headers)
    if (name == "Retry-After") header = value;
  EXPECT_EQ(header, "2");
  auto unknown = messages->response(Error{ErrorCode::ResourceExhausted, "channel_flooding", ""});
  EXPECT_FALSE(nlohmann::json::parse(unknown.body)["error"].contains("retry_after"));
  for (const auto& [name, value] : unknown.headers) EXPECT_NE(name, "Retry-After");
}

}  // namespace
}  // namespace veil::test
