// Co-hosting (C6): ask (optionally masked), the host decides, either side ends. Going on and off
// air is a room event, with the co-host's presence card ([000] 连麦成功后…展示…资料卡).
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

namespace {
json request_json(ApiContext& ctx, const live::CohostRequest& r) {
  json out = {{"id", r.id}, {"masked", r.masked}, {"status", r.status}, {"created_at", r.created_at}};
  // The host sees who asks by their card, not by an account id.
  auto card = presence_card(ctx, r.room_id, r.account_id);
  if (card.ok()) out["card"] = *card;
  return out;
}

Status announce(ApiContext& ctx, const live::CohostRequest& r, std::string_view action) {
  json card = VEIL_TRY(presence_card(ctx, r.room_id, r.account_id));
  return ctx.hub.publish(r.room_id, {{"type", "cohost"}, {"action", action}, {"request_id", r.id}, {"masked", r.masked}, {"card", card}});
}
}  // namespace

void add_cohost_routes(http::Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/rooms/{id}/cohost-requests", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"masked"}));
      bool masked = body.contains("masked") ? VEIL_TRY(required_bool(body, "masked")) : false;
      json asked = request_json(ctx, VEIL_TRY(ctx.cohosting.ask(id, request.params["id"], masked)));
      // Only the host hears of a request (on this node; other nodes' hosts see it on their next list).
      ctx.hub.send_to_account(request.params["id"], VEIL_TRY(ctx.rooms.get(request.params["id"])).host.id,
                              {{"type", "cohost_request"}, {"request", asked}});
      return json_response(201, {{"request", asked}});
    });
  });
  router.add("GET", "/api/v1/rooms/{id}/cohost-requests", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json list = json::array();
      for (const auto& r : VEIL_TRY(ctx.cohosting.list(id, request.params["id"]))) list.push_back(request_json(ctx, r));
      return json_response(200, {{"requests", list}});
    });
  });
  router.add("POST", "/api/v1/rooms/{id}/cohost-requests/{request}/decision", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"approve"}));
      auto decided = VEIL_TRY(ctx.cohosting.decide(id, request.params["id"], request.params["request"], VEIL_TRY(required_bool(body, "approve"))));
      if (decided.status == "approved") VEIL_TRY(announce(ctx, decided, "on_air"));
      return json_response(200, {{"request", request_json(ctx, decided)}});
    });
  });
  router.add("POST", "/api/v1/rooms/{id}/cohost-requests/{request}/end", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      bool was_on_air = false;
      for (const auto& r : VEIL_TRY(ctx.cohosting.list(id, request.params["id"])))
        was_on_air |= r.id == request.params["request"] && r.status == "approved";
      auto ended = VEIL_TRY(ctx.cohosting.end(id, request.params["id"], request.params["request"]));
      if (was_on_air) VEIL_TRY(announce(ctx, ended, "off_air"));
      return json_response(200, {{"request", request_json(ctx, ended)}});
    });
  });
}

}  // namespace veil::app
