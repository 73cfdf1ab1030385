// A person's consents and their signed receipts.
#include <charconv>

#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

void add_consent_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/me/consents", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      return json_response(200, VEIL_TRY(ctx.consents.overview(id)));
    });
  });
  router.add("POST", "/api/v1/me/consents", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"grant", "withdraw"}));
      auto grant = VEIL_TRY(string_list(body, "grant"));
      auto withdraw = VEIL_TRY(string_list(body, "withdraw"));
      return json_response(200, VEIL_TRY(ctx.consents.change(id, grant, withdraw)));
    });
  });
  router.add("GET", "/api/v1/me/consents/receipts/{seq}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      const std::string& text = request.params["seq"];
      std::int64_t seq = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
      if (ec != std::errc() || end != text.data() + text.size() || seq < 1)
        return Error{ErrorCode::NotFound, "receipt_not_found", ""};
      json receipt = VEIL_TRY(ctx.consents.receipt(id, seq));
      http::Response r = json_response(200, receipt);
      r.headers.emplace_back("Content-Disposition", "attachment; filename=\"veil-consent-receipt-" + text + ".json\"");
      return r;
    });
  });
}

}  // namespace veil::app
