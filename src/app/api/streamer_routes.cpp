// Streamer applications (B5): the applicant's side and the staff review queue.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"
#include "modules/identity/person_name.hpp"

namespace veil::app {

using nlohmann::json;

namespace {
// The owner sees a name taken from their real-name verification masked, like everywhere else.
json application_json(const live::Application& a, bool for_staff) {
  json out = {{"id", a.id},
              {"scope", a.scope},
              {"intro", a.intro},
              {"status", live::to_string(a.status)},
              {"submitted_at", a.submitted_at}};
  out["name"] = for_staff ? a.name : identity::mask_person_name(Pi<std::string>(a.name));
  if (for_staff) out["account_id"] = a.account_id;
  if (a.status == live::ApplicationStatus::Rejected) out["reason"] = a.reason;
  if (a.decided_at) out["decided_at"] = a.decided_at;
  return out;
}

Result<live::ApplicationStatus> status_param(const http::Request& request) {
  std::string s = request.query_param("status").value_or("pending");
  if (s == "pending") return live::ApplicationStatus::Pending;
  if (s == "approved") return live::ApplicationStatus::Approved;
  if (s == "rejected") return live::ApplicationStatus::Rejected;
  return Error::invalid("status_invalid", s);
}
}  // namespace

void add_streamer_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/streamer/application", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      auto latest = VEIL_TRY(ctx.streamers.latest(id));
      return json_response(200, {{"application", latest ? application_json(*latest, false) : json(nullptr)}});
    });
  });
  router.add("POST", "/api/v1/streamer/application", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"name", "scope", "intro"}));
      live::ApplicationRequest req{VEIL_TRY(optional_string(body, "name", 160)), VEIL_TRY(required_string(body, "scope", 32)),
                                   VEIL_TRY(required_string(body, "intro", 2000))};
      return json_response(201, {{"application", application_json(VEIL_TRY(ctx.streamers.apply(id, req)), false)}});
    });
  });
  router.add("GET", "/api/v1/staff/streamer-applications", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string staff = VEIL_TRY(ctx.account_of(request));
      json list = json::array();
      for (const auto& a : VEIL_TRY(ctx.streamers.queue(staff, VEIL_TRY(status_param(request)))))
        list.push_back(application_json(a, true));
      return json_response(200, {{"applications", list}});
    });
  });
  router.add("POST", "/api/v1/staff/streamer-applications/{id}/decision", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string staff = VEIL_TRY(ctx.account_of(request));
      json body = VEIL_TRY(json_body(request, {"approve", "reason"}));
      bool approve = VEIL_TRY(required_bool(body, "approve"));
      std::string reason = VEIL_TRY(optional_string(body, "reason", 2000)).value_or("");
      auto decided = VEIL_TRY(ctx.streamers.decide(staff, request.params["id"], approve, reason));
      return json_response(200, {{"application", application_json(decided, true)}});
    });
  });
}

void add_notice_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/me/notices", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      json list = json::array();
      int unread = 0;
      for (const auto& n : VEIL_TRY(ctx.notices.list(id))) {
        unread += n.read ? 0 : 1;
        list.push_back({{"id", n.id}, {"kind", n.kind}, {"body", n.body}, {"created_at", n.created_at}, {"read", n.read}});
      }
      return json_response(200, {{"notices", list}, {"unread", unread}});
    });
  });
  router.add("POST", "/api/v1/me/notices/{id}/read", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      VEIL_TRY(ctx.notices.mark_read(id, request.params["id"]));
      return http::Response::empty(204);
    });
  });
}

}  // namespace veil::app
