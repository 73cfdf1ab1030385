// Gifts in a live room (C9): the catalogue, and sending one, announced to the room with the
// sender's card (avatar and nickname, [004] 一(三)5(3)).
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

void add_gift_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/gifts", [](http::Request&) {
    json gifts = json::array();
    for (const auto& g : live::kGifts) gifts.push_back({{"id", g.id}, {"price", g.price}});
    return json_response(200, {{"gifts", gifts}, {"max_quantity", live::kMaxGiftQuantity}});
  });
  router.add("POST", "/api/v1/rooms/{id}/gifts", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string sender = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"gift", "quantity", "request_id"}));
      auto quantity = body.find("quantity");
      if (quantity != body.end() && !quantity->is_number_integer()) return Error::invalid("gift_quantity_invalid");
      int count = quantity == body.end() ? 1 : static_cast<int>(std::clamp<std::int64_t>(quantity->get<std::int64_t>(), -1, 1000));
      auto sent = VEIL_TRY(ctx.gifts.send(sender, request.params["id"], VEIL_TRY(required_string(body, "gift", 32)), count,
                                          VEIL_TRY(required_string(body, "request_id", 64))));
      json gift = {{"id", sent.transaction_id}, {"gift", sent.gift}, {"quantity", sent.quantity}, {"coins", sent.coins}};
      if (!sent.replayed) {
        json event = gift;
        event["type"] = "gift";
        event["from"] = VEIL_TRY(presence_card(ctx, sent.room_id, sender));
        VEIL_TRY(ctx.hub.publish(sent.room_id, event));
      }
      return json_response(sent.replayed ? 200 : 201, {{"gift", gift}, {"balance", sent.balance}, {"replayed", sent.replayed}});
    });
  });
}

}  // namespace veil::app
