// Room lotteries (C11): the host opens and draws, present viewers enter, winners give delivery
// details that only the host reads, for sending the prize.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

namespace {
json lottery_json(const live::Lottery& l) {
  json out = {{"id", l.id}, {"room_id", l.room_id}, {"prize", l.prize}, {"status", l.status},
              {"winners_count", l.winners_count}, {"entries", l.entries}};
  if (!l.entries_hash.empty()) out["entries_sha256"] = l.entries_hash;
  return out;
}

// The winners as the room saw them announced: their cards, never their account ids.
Result<json> winner_cards(ApiContext& ctx, const live::Lottery& l) {
  json winners = json::array();
  for (const auto& w : l.winner_accounts) winners.push_back(VEIL_TRY(presence_card(ctx, l.room_id, w)));
  return winners;
}

Result<json> lottery_view(ApiContext& ctx, const live::Lottery& l) {
  json out = lottery_json(l);
  if (l.status == "drawn") out["winners"] = VEIL_TRY(winner_cards(ctx, l));
  return out;
}
}  // namespace

void add_lottery_routes(http::Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/rooms/{id}/lotteries", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"prize", "winners"}));
      auto winners = body.find("winners");
      if (winners == body.end() || !winners->is_number_integer()) return Error::invalid("lottery_winners_invalid");
      auto l = VEIL_TRY(ctx.lotteries.open(host, request.params["id"], VEIL_TRY(required_string(body, "prize", 400)), winners->get<int>()));
      VEIL_TRY(ctx.hub.publish(l.room_id, {{"type", "lottery"}, {"action", "open"}, {"lottery", lottery_json(l)}}));
      return json_response(201, {{"lottery", lottery_json(l)}});
    });
  });
  router.add("GET", "/api/v1/lotteries/{id}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      json out = VEIL_TRY(lottery_view(ctx, VEIL_TRY(ctx.lotteries.get(request.params["id"]))));
      if (auto account = ctx.account_of(request); account.ok()) {
        auto you = VEIL_TRY(ctx.lotteries.standing(*account, request.params["id"]));
        out["you"] = {{"entered", you.entered}, {"won", you.won}, {"delivery_submitted", you.delivery_submitted}};
      }
      return json_response(200, {{"lottery", out}});
    });
  });
  router.add("GET", "/api/v1/rooms/{id}/lotteries", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      json list = json::array();
      for (const auto& l : VEIL_TRY(ctx.lotteries.of_room(request.params["id"]))) list.push_back(VEIL_TRY(lottery_view(ctx, l)));
      return json_response(200, {{"lotteries", list}});
    });
  });
  router.add("POST", "/api/v1/lotteries/{id}/entries", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string account = VEIL_TRY(ctx.account_of(request));
      auto l = VEIL_TRY(ctx.lotteries.get(request.params["id"]));
      VEIL_TRY(ctx.lotteries.enter(account, l.id, ctx.hub.present(l.room_id, account)));
      return http::Response::empty(204);
    });
  });
  router.add("POST", "/api/v1/lotteries/{id}/draw", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      auto l = VEIL_TRY(ctx.lotteries.draw(host, request.params["id"]));
      json winners = VEIL_TRY(winner_cards(ctx, l));
      VEIL_TRY(ctx.hub.publish(l.room_id, {{"type", "lottery"}, {"action", "drawn"}, {"lottery", lottery_json(l)}, {"winners", winners}}));
      return json_response(200, {{"lottery", lottery_json(l)}, {"winners", winners}});
    });
  });
  router.add("PUT", "/api/v1/lotteries/{id}/delivery", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string account = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"name", "phone", "address"}));
      VEIL_TRY(ctx.lotteries.submit_delivery(account, request.params["id"], VEIL_TRY(required_string(body, "name", 160)),
                                             VEIL_TRY(required_string(body, "phone", 32)), VEIL_TRY(required_string(body, "address", 800))));
      return http::Response::empty(204);
    });
  });
  router.add("GET", "/api/v1/lotteries/{id}/deliveries", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      json list = json::array();
      for (const auto& d : VEIL_TRY(ctx.lotteries.deliveries(host, request.params["id"]))) {
        json item = {{"entry_id", d.entry_id}, {"submitted", d.name.has_value()}};
        if (d.name) item["name"] = d.name->reveal();
        if (d.phone) item["phone"] = d.phone->reveal();
        if (d.address) item["address"] = d.address->reveal();
        if (d.delivered_at) item["delivered_at"] = d.delivered_at;
        list.push_back(item);
      }
      return json_response(200, {{"deliveries", list}});
    });
  });
  router.add("POST", "/api/v1/lotteries/{id}/deliveries/{entry}/delivered", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      VEIL_TRY(ctx.lotteries.mark_delivered(VEIL_TRY(ctx.account_of(request)), request.params["id"], request.params["entry"]));
      return http::Response::empty(204);
    });
  });
}

}  // namespace veil::app
