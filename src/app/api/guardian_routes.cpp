// The guardian step for a child's account (called from the child's session, with the guardian
// present: the code goes to the guardian's own phone).
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"
#include "app/api/json_views.hpp"
#include "modules/accounts/phone_number.hpp"

namespace veil::app {

using nlohmann::json;

namespace {
Result<Pi<std::string>> guardian_phone(const json& body) {
  auto phone = accounts::normalize_phone(VEIL_TRY(required_string(body, "guardian_phone", 32)));
  if (!phone) return Error::invalid("phone_invalid");
  return std::move(*phone);
}
}  // namespace

void add_guardian_routes(http::Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/guardian/code", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string child = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"guardian_phone"}));
      auto issued = VEIL_TRY(ctx.guardians.send_code(child, VEIL_TRY(guardian_phone(body)), request.client_address));
      return json_response(202, {{"expires_in", issued.expires_in / kSecond}, {"resend_after", issued.resend_after / kSecond}});
    });
  });
  router.add("POST", "/api/v1/guardian/consent", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string child = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"guardian_phone", "code", "agree"}));
      Pi<std::string> phone = VEIL_TRY(guardian_phone(body));
      std::string code = VEIL_TRY(required_string(body, "code", 16));
      bool agree = VEIL_TRY(required_bool(body, "agree"));
      return json_response(200, me_json(VEIL_TRY(ctx.guardians.consent(child, phone, code, agree, request.client_address))));
    });
  });
}

}  // namespace veil::app
