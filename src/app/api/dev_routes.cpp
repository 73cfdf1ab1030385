// Development-only endpoints, registered only with --dev: the SMS outbox and the clock.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"
#include "modules/accounts/phone_number.hpp"

namespace veil::app {

using nlohmann::json;

void add_dev_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/dev/outbox", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      if (!ctx.dev_outbox) return Error{ErrorCode::NotFound, "dev_only", ""};
      auto phone = accounts::normalize_phone(request.query_param("phone").value_or(""));
      if (!phone) return Error::invalid("phone_invalid");
      json messages = json::array();
      for (const auto& m : VEIL_TRY(ctx.dev_outbox->outbox(*phone))) messages.push_back({{"at", m.at}, {"text", m.text}});
      return json_response(200, {{"messages", messages}});
    });
  });
  router.add("POST", "/api/v1/dev/clock", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      if (!ctx.dev_clock) return Error{ErrorCode::NotFound, "dev_only", ""};
      json body = VEIL_TRY(json_body(request, {"advance_seconds"}));
      auto it = body.find("advance_seconds");
      if (it == body.end() || !it->is_number_integer()) return Error::invalid("advance_invalid");
      std::int64_t seconds = it->get<std::int64_t>();
      if (seconds < 1 || seconds > 366LL * 24 * 3600) return Error::invalid("advance_invalid");
      ctx.dev_clock->advance(seconds * kSecond);
      return json_response(200, {{"now", ctx.dev_clock->now()}});
    });
  });
  // Makes an account staff, so a development deployment can try the review queues. Production
  // operators use `veil admin grant-staff <account-id>`.
  router.add("POST", "/api/v1/dev/staff", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      json body = VEIL_TRY(json_body(request, {"account_id"}));
      VEIL_TRY(ctx.accounts.grant_staff(VEIL_TRY(required_string(body, "account_id", 64)), "dev"));
      return http::Response::empty(204);
    });
  });
}

}  // namespace veil::app
