// Browsing endpoints: they answer everyone, need no consent and store nothing (minimal mode).
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

void add_info_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/healthz", [&ctx](http::Request&) {
    json body = {{"status", "ok"}};
    if (ctx.media != nullptr) {
      media::MediaHealth h = ctx.media->health();
      body["media"] = {{"rooms", h.rooms}, {"publishers", h.publishers}, {"webrtc_viewers", h.webrtc_viewers}, {"janus", h.janus_running}, {"rtmp", h.rtmp_running},
                       {"janus_restarts", h.janus_restarts}, {"rtmp_restarts", h.rtmp_restarts}};
    }
    return json_response(200, body);
  });
  router.add("GET", "/metrics", [&ctx](http::Request&) {
    std::string text = ctx.metrics.render();
    if (ctx.media != nullptr) {
      media::MediaHealth h = ctx.media->health();
      auto metric = [&text](const char* name, const char* type, const char* help, long value) {
        text += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
        text += std::string(name) + " " + std::to_string(value) + "\n";
      };
      metric("veil_media_rooms", "gauge", "Rooms with a running media pipeline on this node.", static_cast<long>(h.rooms));
      metric("veil_media_publishers", "gauge", "Publishers sending into those rooms.", static_cast<long>(h.publishers));
      metric("veil_media_webrtc_viewers", "gauge", "WebRTC viewers, through Janus and Veil's own webrtcbins.",
             static_cast<long>(h.webrtc_viewers));
      metric("veil_media_janus_up", "gauge", "Whether Janus runs and answers.", h.janus_running ? 1 : 0);
      metric("veil_media_janus_restarts_total", "counter", "Times Janus was restarted after it died.", h.janus_restarts);
      metric("veil_media_rtmp_up", "gauge", "Whether nginx-rtmp runs for RTMP encoders.", h.rtmp_running ? 1 : 0);
      metric("veil_media_rtmp_restarts_total", "counter", "Times nginx-rtmp was restarted after it died.", h.rtmp_restarts);
    }
    return http::Response::text(200, text, "text/plain; version=0.0.4; charset=utf-8");
  });
  router.add("GET", "/api/v1/info", [&ctx](http::Request&) {
    return json_response(200, {{"name", "Veil"}, {"dev", ctx.dev}, {"policy_version", ctx.engine.map().version()}});
  });
  router.add("GET", "/api/v1/policy", [&ctx](http::Request&) {
    const auto& map = ctx.engine.map();
    json purposes = json::array();
    for (const auto& p : map.purposes()) {
      json separate = json::array();
      for (auto k : p.separate) separate.push_back(engine::to_string(k));
      purposes.push_back({{"id", p.id},
                          {"feature", p.feature},
                          {"basis", engine::to_string(p.basis)},
                          {"necessary", p.necessary},
                          {"given_by", p.given_by_guardian() ? "guardian" : "person"},
                          {"separate", separate},
                          {"name", {{"zh-CN", p.name.zh_cn}, {"en", p.name.en}}},
                          {"description", {{"zh-CN", p.description.zh_cn}, {"en", p.description.en}}}});
    }
    const auto& summary = ctx.engine.documents().summary();
    return json_response(200, {{"version", map.version()},
                               {"effective", map.effective()},
                               {"text_sha256", ctx.engine.documents().text_sha256()},
                               {"summary", {{"zh-CN", summary.zh_cn}, {"en", summary.en}}},
                               {"purposes", purposes}});
  });
  router.add("GET", "/api/v1/policy/documents/{doc}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      auto kind = engine::parse_document_kind(request.params["doc"]);
      if (!kind) return Error{ErrorCode::NotFound, "document_unknown", ""};
      auto lang = engine::parse_lang(request.query_param("lang").value_or("zh-CN"));
      if (!lang) return Error::invalid("lang_invalid");
      return json_response(200, ctx.engine.documents().render(*kind, *lang));
    });
  });
  router.add("GET", "/api/v1/policy/public-key", [&ctx](http::Request&) {
    return json_response(200, {{"algorithm", "Ed25519"}, {"public_key", ctx.engine.receipts().public_key_base64url()}});
  });
}

}  // namespace veil::app
