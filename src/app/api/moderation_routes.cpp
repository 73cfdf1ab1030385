// Moderation (C12): the host's and staff's actions in a room, reports, the staff report queue, and
// the public notice of platform-wide penalties. Moderators name a person by a message they wrote
// or by the card ("viewer") they see in the room, never by an account id.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

namespace {
Result<live::ModerationTarget> target_of(ApiContext& ctx, const std::string& room_id, const json& body) {
  if (auto message = VEIL_TRY(optional_string(body, "message_id", 64))) return ctx.moderation.message_target(room_id, *message);
  if (auto viewer = VEIL_TRY(optional_string(body, "viewer", 64))) {
    auto account = ctx.hub.account_of(room_id, *viewer);
    if (!account) return Error{ErrorCode::NotFound, "viewer_not_here", ""};
    return live::ModerationTarget{*account, std::nullopt};
  }
  return Error::invalid("moderation_target_required");
}

json penalty_json(const live::Penalty& p, bool with_id) {
  json out = {{"kind", p.kind}, {"reason", p.reason}, {"scope", p.room_id ? "room" : "platform"}, {"created_at", p.created_at}};
  if (with_id) out["id"] = p.id;
  if (p.until) out["until"] = *p.until;
  return out;
}

int minutes_of(const json& body) {
  auto it = body.find("minutes");
  return it != body.end() && it->is_number_integer() ? it->get<int>() : 0;
}
}  // namespace

void add_moderation_routes(http::Router& router, ApiContext& ctx) {
  router.add("POST", "/api/v1/rooms/{id}/moderation", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string moderator = VEIL_TRY(ctx.account_of(request));
      std::string room = request.params["id"];
      json body = VEIL_TRY(json_body(request, {"action", "message_id", "viewer", "minutes", "reason"}));
      std::string action = VEIL_TRY(required_string(body, "action", 32));
      std::string reason = VEIL_TRY(optional_string(body, "reason", 800)).value_or("");
      if (action == "delete_message") {
        std::string message = VEIL_TRY(required_string(body, "message_id", 64));
        VEIL_TRY(ctx.moderation.delete_message(moderator, room, message));
        VEIL_TRY(ctx.hub.publish(room, {{"type", "message_deleted"}, {"id", message}}));
        return http::Response::empty(204);
      }
      live::ModerationTarget target = VEIL_TRY(target_of(ctx, room, body));
      if (action == "kick") {
        VEIL_TRY(ctx.moderation.kicked(moderator, room, target.account_id, reason));
        ctx.hub.remove(room, target.account_id, {{"type", "removed"}, {"kind", "kick"}, {"reason", reason}});
        return http::Response::empty(204);
      }
      if (action != "mute" && action != "ban") return Error::invalid("moderation_action_invalid", action);
      auto kind = action == "mute" ? live::PenaltyKind::Mute : live::PenaltyKind::Ban;
      auto penalty = VEIL_TRY(ctx.moderation.penalise(moderator, target, kind, room, minutes_of(body), reason));
      if (kind == live::PenaltyKind::Ban)
        ctx.hub.remove(room, target.account_id, {{"type", "removed"}, {"kind", "ban"}, {"reason", reason}});
      return json_response(201, {{"penalty", penalty_json(penalty, true)}});
    });
  });
  router.add("DELETE", "/api/v1/penalties/{id}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      VEIL_TRY(ctx.moderation.lift(VEIL_TRY(ctx.account_of(request)), request.params["id"]));
      return http::Response::empty(204);
    });
  });
  router.add("GET", "/api/v1/penalties/public", [&ctx](http::Request&) {
    return ctx.answer([&]() -> Result<http::Response> {
      json list = json::array();
      for (const auto& p : VEIL_TRY(ctx.moderation.public_notice())) list.push_back(penalty_json(p, false));
      return json_response(200, {{"penalties", list}});
    });
  });
  router.add("POST", "/api/v1/reports", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string reporter = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"room_id", "message_id", "viewer", "reason", "note"}));
      std::string room = VEIL_TRY(required_string(body, "room_id", 64));
      live::ModerationTarget target = VEIL_TRY(target_of(ctx, room, body));
      auto report = VEIL_TRY(ctx.moderation.report(reporter, room, target, VEIL_TRY(required_string(body, "reason", 32)),
                                                   VEIL_TRY(optional_string(body, "note", 2000)).value_or("")));
      return json_response(201, {{"report", {{"id", report.id}, {"status", report.status}}}});
    });
  });
  router.add("GET", "/api/v1/staff/reports", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string staff = VEIL_TRY(ctx.account_of(request));
      json list = json::array();
      for (const auto& r : VEIL_TRY(ctx.moderation.reports(staff, request.query_param("status").value_or("open")))) {
        json item = {{"id", r.id}, {"room_id", r.room_id}, {"reason", r.reason}, {"note", r.note}, {"status", r.status}, {"created_at", r.created_at}};
        if (r.message_id) item["message"] = {{"id", *r.message_id}, {"text", r.message_text}};
        list.push_back(item);
      }
      return json_response(200, {{"reports", list}});
    });
  });
  router.add("POST", "/api/v1/staff/reports/{id}/decision", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string staff = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"action", "minutes", "reason"}));
      std::string action = VEIL_TRY(required_string(body, "action", 32));
      if (action == "dismiss") {
        VEIL_TRY(ctx.moderation.close_report(staff, request.params["id"], true));
        return http::Response::empty(204);
      }
      if (action != "platform_mute" && action != "platform_ban") return Error::invalid("moderation_action_invalid", action);
      std::string target = VEIL_TRY(ctx.moderation.report_target(staff, request.params["id"]));
      auto kind = action == "platform_mute" ? live::PenaltyKind::Mute : live::PenaltyKind::Ban;
      auto penalty = VEIL_TRY(ctx.moderation.penalise(staff, {target, std::nullopt}, kind, std::nullopt, minutes_of(body),
                                                      VEIL_TRY(optional_string(body, "reason", 800)).value_or("")));
      VEIL_TRY(ctx.moderation.close_report(staff, request.params["id"], false));
      return json_response(201, {{"penalty", penalty_json(penalty, true)}});
    });
  });
}

}  // namespace veil::app
