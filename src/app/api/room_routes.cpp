// Rooms (C1–C3): the public list and room pages, the host's controls, anonymous watch tickets,
// and the media pipeline's publish check.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

namespace {
json room_json(const live::Room& r) {
  json host = {{"id", r.host.id}};
  if (r.host.nickname) host["nickname"] = *r.host.nickname;
  if (r.host.avatar_url) host["avatar_url"] = *r.host.avatar_url;
  json out = {{"id", r.id},           {"title", r.title}, {"mode", live::to_string(r.mode)}, {"status", live::to_string(r.status)},
              {"host", host},         {"settings", r.settings.to_json()}};
  if (r.scheduled_at) out["scheduled_at"] = *r.scheduled_at;
  if (r.status == live::RoomStatus::Live) out["live_since"] = r.live_since;
  return out;
}

json room_json(const live::Room& r, live::RoomHub& hub) {
  json out = room_json(r);
  out["viewers"] = hub.viewers(r.id);
  return out;
}

// With RTMP on, the same credential as an encoder's settings: OBS appends the stream key to the
// server URL, and nginx-rtmp hands Veil the name (the room) and the key's query (the token).
json credential_json(const ApiContext& ctx, const std::string& room_id, const live::PublishCredential& c) {
  json j = {{"grant_id", c.grant_id}, {"token", c.token}, {"expires_at", c.expires_at}};
  if (!ctx.rtmp_url.empty()) j["rtmp"] = {{"url", ctx.rtmp_url}, {"stream_key", room_id + "?key=" + c.token}};
  return j;
}

Result<std::optional<live::RoomStatus>> status_filter(const http::Request& request) {
  auto s = request.query_param("status");
  if (!s) return std::optional<live::RoomStatus>();
  if (*s == "live") return std::optional<live::RoomStatus>(live::RoomStatus::Live);
  if (*s == "scheduled") return std::optional<live::RoomStatus>(live::RoomStatus::Scheduled);
  return Error::invalid("status_invalid", *s);
}
}  // namespace

void add_room_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/rooms", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      json list = json::array();
      for (const auto& r : VEIL_TRY(ctx.rooms.list(VEIL_TRY(status_filter(request))))) list.push_back(room_json(r, ctx.hub));
      return json_response(200, {{"rooms", list}});
    });
  });
  router.add("GET", "/api/v1/rooms/mine", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json list = json::array();
      for (const auto& r : VEIL_TRY(ctx.rooms.owned_by(id))) list.push_back(room_json(r, ctx.hub));
      return json_response(200, {{"rooms", list}});
    });
  });
  router.add("POST", "/api/v1/rooms", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"title", "mode", "scheduled_at"}));
      live::NewRoom room;
      room.title = VEIL_TRY(required_string(body, "title", 400));
      auto mode = live::room_mode_of(VEIL_TRY(optional_string(body, "mode", 16)).value_or("video"));
      if (!mode) return Error::invalid("room_mode_invalid");
      room.mode = *mode;
      if (body.contains("scheduled_at") && !body["scheduled_at"].is_null()) {
        if (!body["scheduled_at"].is_number_integer()) return Error::invalid("room_schedule_invalid");
        room.scheduled_at = body["scheduled_at"].get<std::int64_t>();
      }
      return json_response(201, {{"room", room_json(VEIL_TRY(ctx.rooms.create(id, room)))}});
    });
  });
  router.add("GET", "/api/v1/rooms/{id}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      return json_response(200, {{"room", room_json(VEIL_TRY(ctx.rooms.get(request.params["id"])), ctx.hub)}});
    });
  });
  router.add("PATCH", "/api/v1/rooms/{id}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"title", "settings"}));
      std::optional<live::RoomSettings> settings;
      if (body.contains("settings")) settings = VEIL_TRY(live::RoomSettings::from_json(body["settings"]));
      auto room = VEIL_TRY(ctx.rooms.update(id, request.params["id"], VEIL_TRY(optional_string(body, "title", 400)), settings));
      return json_response(200, {{"room", room_json(room)}});
    });
  });
  router.add("POST", "/api/v1/rooms/{id}/live", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      auto [room, credential] = VEIL_TRY(ctx.rooms.go_live(id, request.params["id"]));
      return json_response(200, {{"room", room_json(room)}, {"publish", credential_json(ctx, room.id, credential)}});
    });
  });
  router.add("POST", "/api/v1/rooms/{id}/publish-credential", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      return json_response(200, {{"publish", credential_json(ctx, request.params["id"], VEIL_TRY(ctx.rooms.refresh_credential(id, request.params["id"])))}});
    });
  });
  router.add("POST", "/api/v1/rooms/{id}/end", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      live::Room room = VEIL_TRY(ctx.rooms.end(id, request.params["id"]));
      VEIL_TRY(ctx.hub.end_room(room.id));
      // On this node at once; a media node elsewhere sees the revoked grants at its next check.
      if (ctx.media != nullptr) ctx.media->end_room(room.id);
      return json_response(200, {{"room", room_json(room)}});
    });
  });
  // No account and no body: the ticket itself is all an anonymous viewer has.
  router.add("POST", "/api/v1/rooms/{id}/watch", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      return json_response(200, {{"token", VEIL_TRY(ctx.rooms.watch_token(request.params["id"]))}});
    });
  });
  router.add("POST", "/api/v1/media/publish-check", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      json body = VEIL_TRY(json_body(request, {"room_id", "token"}));
      auto grant = VEIL_TRY(ctx.rooms.check_publish(VEIL_TRY(required_string(body, "room_id", 64)),
                                                    VEIL_TRY(required_string(body, "token", 128))));
      return json_response(200, {{"grant_id", grant.grant_id},
                                 {"session_id", grant.session_id},
                                 {"account_id", grant.account_id},
                                 {"role", grant.role},
                                 {"masked", grant.masked},
                                 {"unmasked_to", grant.unmasked_to}});
    });
  });
}

}  // namespace veil::app
