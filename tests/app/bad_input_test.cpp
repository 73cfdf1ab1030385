// Bad input gets a clear error (status, stable code, zh-CN and en messages) and leaves storage
// exactly as it was.
#include <gtest/gtest.h>

#include "app/api_server.hpp"

namespace veil::test {
namespace {

using nlohmann::json;

struct BadRequest {
  std::string name;
  std::string method;
  std::string path;
  std::string body;
  std::string content_type;
  bool with_session;
  long status;
  std::string code;
};

class BadInput : public ::testing::TestWithParam<store::Backend> {};

TEST_P(BadInput, EachBadRequestIsRefusedClearlyAndStoresNothing) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13600136000");
  const std::string huge(70 * 1024, 'x');
  const std::vector<BadRequest> cases = {
      {"malformed json", "POST", "/api/v1/auth/code", "{\"phone\": ", "application/json", false, 400, "json_malformed"},
      {"not an object", "POST", "/api/v1/auth/code", "[1,2]", "application/json", false, 400, "json_not_object"},
      {"wrong content type", "POST", "/api/v1/auth/code", "phone=1", "application/x-www-form-urlencoded", false, 415, "content_type_invalid"},
      {"unknown field", "POST", "/api/v1/auth/code", R"({"phone":"13600136001","policy_version":"1.0.0","admin":true})", "application/json", false, 400, "unknown_field"},
      {"wrong type", "POST", "/api/v1/auth/code", R"({"phone":13600136001,"policy_version":"1.0.0"})", "application/json", false, 400, "field_type_invalid"},
      {"missing field", "POST", "/api/v1/auth/verify", R"({"phone":"13600136001"})", "application/json", false, 400, "field_missing"},
      {"invalid phone", "POST", "/api/v1/auth/code", R"({"phone":"12345","policy_version":"1.0.0"})", "application/json", false, 400, "phone_invalid"},
      {"phone with letters", "POST", "/api/v1/auth/code", R"({"phone":"1380013800a","policy_version":"1.0.0"})", "application/json", false, 400, "phone_invalid"},
      {"outdated policy", "POST", "/api/v1/auth/code", R"({"phone":"13600136001","policy_version":"0.9"})", "application/json", false, 409, "policy_outdated"},
      {"wrong code", "POST", "/api/v1/auth/verify", R"({"phone":"13600136000","code":"000000"})", "application/json", false, 400, "code_invalid"},
      {"impossible birth date", "POST", "/api/v1/auth/verify", R"({"phone":"13600136001","code":"123456","birth_date":"2020-02-30"})", "application/json", false, 400, "birth_date_invalid"},
      {"oversized body", "POST", "/api/v1/auth/code", "{\"phone\":\"" + huge + "\"}", "application/json", false, 413, "body_too_large"},
      {"missing token", "GET", "/api/v1/me", "", "", false, 401, "session_invalid"},
      {"unknown role", "POST", "/api/v1/me/roles", R"({"role":"admin"})", "application/json", true, 400, "role_unknown"},
      {"profile field unknown", "PATCH", "/api/v1/me/profile", R"({"salary":"1"})", "application/json", true, 400, "unknown_field"},
      {"bad gender", "PATCH", "/api/v1/me/profile", R"({"gender":"x"})", "application/json", true, 400, "gender_invalid"},
      {"consent purpose unknown", "POST", "/api/v1/me/consents", R"({"grant":["spying"]})", "application/json", true, 400, "purpose_unknown"},
      {"withdraw necessary", "POST", "/api/v1/me/consents", R"({"withdraw":["login"]})", "application/json", true, 409, "consent_necessary"},
      {"receipt of nobody", "GET", "/api/v1/me/consents/receipts/99", "", "", true, 404, "receipt_not_found"},
      {"receipt id not a number", "GET", "/api/v1/me/consents/receipts/abc", "", "", true, 404, "receipt_not_found"},
      {"unknown document", "GET", "/api/v1/policy/documents/secrets", "", "", false, 404, "document_unknown"},
      {"unknown language", "GET", "/api/v1/policy/documents/privacy-policy?lang=fr", "", "", false, 400, "lang_invalid"},
      {"unknown api path", "GET", "/api/v1/nothing-here", "", "", false, 404, "not_found"},
      {"wrong method", "DELETE", "/api/v1/me", "", "", false, 405, "method_not_allowed"},
      {"clock backwards", "POST", "/api/v1/dev/clock", R"({"advance_seconds":-5})", "application/json", false, 400, "advance_invalid"},
  };
  auto before = api.row_counts();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ApiReply r = api.send_raw(c.method, c.path, c.body, c.content_type, c.with_session ? token : "");
    EXPECT_EQ(r.status, c.status) << r.raw;
    EXPECT_EQ(r.error_code(), c.code) << r.raw;
    ASSERT_TRUE(r.body.contains("error")) << r.raw;
    EXPECT_FALSE(r.body["error"]["message"]["zh-CN"].get<std::string>().empty());
    EXPECT_FALSE(r.body["error"]["message"]["en"].get<std::string>().empty());
    EXPECT_NE(r.body["error"]["message"]["en"], "Something went wrong on our side. Please try again.")
        << "every code has its own message";
  }
  auto after = api.row_counts();
  // A wrong code counts an attempt (otp_codes.attempts), which changes no row count.
  EXPECT_EQ(after, before);
}

TEST_P(BadInput, ForgedAndUnknownTokensAreRefused) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string token = api.register_user("13600136002");
  std::string forged = token;
  forged[5] = forged[5] == 'A' ? 'B' : 'A';
  for (const std::string& t : {forged, std::string("not-a-token"), std::string(43, 'A'), token + "x"}) {
    ApiReply r = api.get("/api/v1/me", t);
    EXPECT_EQ(r.status, 401) << t;
    EXPECT_EQ(r.error_code(), "session_invalid");
  }
}

TEST_P(BadInput, DevelopmentEndpointsDoNotExistWithoutDev) {
  auto started = ApiServer::start(GetParam(), /*dev=*/false);
  if (!started.ok()) GTEST_SKIP() << "SKIPPED: PostgreSQL binaries not found";
  ApiServer& api = **started;
  EXPECT_EQ(api.get("/api/v1/dev/outbox?phone=13600136003").status, 404);
  EXPECT_EQ(api.post("/api/v1/dev/clock", {{"advance_seconds", 10}}).status, 404);
  EXPECT_FALSE(api.get("/api/v1/info").body["dev"].get<bool>());
}

VEIL_ON_BOTH_BACKENDS(BadInput);

}  // namespace
}  // namespace veil::test
