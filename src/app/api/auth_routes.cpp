// Registration and login by phone and code, password login, logout.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"
#include "app/api/json_views.hpp"
#include "modules/accounts/phone_number.hpp"

namespace veil::app {

using nlohmann::json;

namespace {
Result<Pi<std::string>> phone_of(const json& body, std::string_view key) {
  auto phone = accounts::normalize_phone(VEIL_TRY(required_string(body, key, 32)));
  if (!phone) return Error::invalid("phone_invalid");
  return std::move(*phone);
}

Result<std::optional<accounts::ConsentChoice>> consent_of(const json& body) {
  auto it = body.find("consent");
  if (it == body.end() || it->is_null()) return std::optional<accounts::ConsentChoice>();
  if (!it->is_object()) return Error::invalid("field_type_invalid", "consent");
  for (const auto& [key, value] : it->items())
    if (key != "policy_version" && key != "purposes") return Error::invalid("unknown_field", "consent." + key);
  accounts::ConsentChoice choice;
  choice.policy_version = VEIL_TRY(required_string(*it, "policy_version", 32));
  choice.purposes = VEIL_TRY(string_list(*it, "purposes"));
  return std::optional<accounts::ConsentChoice>(std::move(choice));
}
}  // namespace

void add_auth_routes(http::Router& router, ApiContext& ctx) {
  // Minimal mode ([004] 首段): without the policy accepted we do not take the number at all.
  router.add("POST", "/api/v1/auth/code", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      json body = VEIL_TRY(json_body(request, {"phone", "policy_version"}));
      auto version = VEIL_TRY(optional_string(body, "policy_version", 32));
      if (!version) return Error{ErrorCode::ConsentRequired, "policy_not_accepted", ""};
      if (*version != ctx.engine.map().version()) return Error{ErrorCode::Conflict, "policy_outdated", ""};
      Pi<std::string> phone = VEIL_TRY(phone_of(body, "phone"));
      auto issued = VEIL_TRY(ctx.otp.issue(phone, accounts::CodePurpose::Login, request.client_address));
      return json_response(202, {{"expires_in", issued.expires_in / kSecond}, {"resend_after", issued.resend_after / kSecond}});
    });
  });
  router.add("POST", "/api/v1/auth/verify", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      json body = VEIL_TRY(json_body(request, {"phone", "code", "consent", "birth_date"}));
      accounts::SignInWithCode sign_in;
      sign_in.phone = VEIL_TRY(phone_of(body, "phone"));
      sign_in.code = VEIL_TRY(required_string(body, "code", 16));
      sign_in.consent = VEIL_TRY(consent_of(body));
      sign_in.birth_date = VEIL_TRY(optional_string(body, "birth_date", 10));
      sign_in.client_address = request.client_address;
      auto signed_in = VEIL_TRY(ctx.accounts.sign_in_with_code(sign_in));
      return json_response(signed_in.created ? 201 : 200, signed_in_json(signed_in));
    });
  });
  router.add("POST", "/api/v1/auth/password-login", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      json body = VEIL_TRY(json_body(request, {"phone", "password"}));
      Pi<std::string> phone = VEIL_TRY(phone_of(body, "phone"));
      Pi<std::string> password(VEIL_TRY(required_string(body, "password", 256)));
      auto signed_in = VEIL_TRY(ctx.accounts.sign_in_with_password(phone, password, request.client_address));
      return json_response(200, signed_in_json(signed_in));
    });
  });
  router.add("POST", "/api/v1/auth/logout", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      VEIL_TRY(ctx.accounts.log_out(request.bearer_token(), request.client_address));
      return http::Response::empty(204);
    });
  });
}

}  // namespace veil::app
