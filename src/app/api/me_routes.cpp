// The account's own view: profile, password, roles.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"
#include "app/api/json_views.hpp"

namespace veil::app {

using nlohmann::json;

void add_me_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/me", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      nlohmann::json me = me_json(VEIL_TRY(ctx.accounts.me(id)));
      me["real_name_verified"] = VEIL_TRY(ctx.real_names.is_verified(id));
      me["unread_notices"] = VEIL_TRY(ctx.notices.unread_count(id));
      return json_response(200, me);
    });
  });
  router.add("PATCH", "/api/v1/me/profile", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"nickname", "gender", "hometown", "industry", "intro", "avatar_url"}));
      std::map<std::string, std::optional<std::string>> changes;
      for (const auto& [key, value] : body.items()) changes[key] = VEIL_TRY(optional_string(body, key, 4096));
      return json_response(200, me_json(VEIL_TRY(ctx.profiles.update(id, changes))));
    });
  });
  router.add("PUT", "/api/v1/me/password", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"password"}));
      VEIL_TRY(ctx.accounts.set_password(id, Pi<std::string>(VEIL_TRY(required_string(body, "password", 256)))));
      return http::Response::empty(204);
    });
  });
  router.add("POST", "/api/v1/me/roles", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"role"}));
      return json_response(200, me_json(VEIL_TRY(ctx.profiles.add_role(id, VEIL_TRY(required_string(body, "role", 32))))));
    });
  });
  router.add("DELETE", "/api/v1/me/roles/{role}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      return json_response(200, me_json(VEIL_TRY(ctx.profiles.remove_role(id, request.params["role"]))));
    });
  });
}

}  // namespace veil::app
