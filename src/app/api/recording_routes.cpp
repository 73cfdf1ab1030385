// Recordings and clips (C7, C8; [000] (3) 直播录像 kept 60 days, hosts clip them into short
// videos). A host lists, replays, clips and deletes their own recordings; a clip is the host's
// alone until published, then anyone's to watch. Every id that is not the caller's to see answers
// 404 not_found, exactly like an id that does not exist.
//
// Replay is HLS decrypted as it is served: the player sends the host's session as a bearer token
// on every request (hls.js's xhrSetup), so no ticket or cookie is ever minted for it. A clip's MP4
// is fetched the same way (the page plays it from a blob); a published clip needs no session.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

namespace {

Result<RecordingLibrary*> library_of(ApiContext& ctx) {
  if (ctx.recordings == nullptr) return Error{ErrorCode::Unavailable, "media_unavailable", "no recording library"};
  return ctx.recordings;
}

json recording_json(const live::RecordingInfo& r) {
  json participants = json::array();
  // Roles and masks only: who they were stays with the server.
  for (const auto& p : r.participants) participants.push_back({{"role", p.role}, {"masked", p.masked}});
  return {{"id", r.id},
          {"room_id", r.room_id},
          {"room_title", r.room_title},
          {"status", r.status},
          {"duration_ms", r.duration_ms},
          {"bytes", r.bytes},
          {"created_at", r.created_at},
          {"participants", participants},
          {"playlist_url", "/api/v1/recordings/" + r.id + "/hls/index.m3u8"}};
}

json clip_json(const live::ClipInfo& c, bool owner) {
  json out = {{"id", c.id},
              {"title", c.title},
              {"duration_ms", c.end_ms - c.start_ms},
              {"created_at", c.created_at},
              {"published_at", c.published_at ? json(*c.published_at) : json(nullptr)},
              {"media_url", "/api/v1/clips/" + c.id + "/media"}};
  if (owner) {
    out["recording_id"] = c.recording_id;
    out["start_ms"] = c.start_ms;
    out["end_ms"] = c.end_ms;
  }
  return out;
}

Result<std::int64_t> whole_ms(const json& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return Error::invalid("clip_range_invalid", std::string(key) + " must be an integer");
  return it->get<std::int64_t>();
}

std::string viewer_of(ApiContext& ctx, const http::Request& request) {
  auto account = ctx.account_of(request);
  return account.ok() ? *account : std::string();
}

}  // namespace

void add_recording_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/recordings", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      json list = json::array();
      for (const auto& r : VEIL_TRY(library->books().of_owner(host))) list.push_back(recording_json(r));
      return json_response(200, {{"recordings", list}});
    });
  });
  router.add("GET", "/api/v1/recordings/{id}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      return json_response(200, {{"recording", recording_json(VEIL_TRY(library->books().get(host, request.params["id"])))}});
    });
  });
  router.add("DELETE", "/api/v1/recordings/{id}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      VEIL_TRY(library->remove_recording(host, request.params["id"]));
      return http::Response::empty(204);
    });
  });
  // The playlist as written (segment names relative to it) and each segment decrypted on the way out.
  router.add("GET", "/api/v1/recordings/{id}/hls/{file}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      const std::string& name = request.params["file"];
      std::string bytes = VEIL_TRY(library->replay(host, request.params["id"], name));
      bool playlist = name.ends_with(".m3u8");
      http::Response response =
          http::Response::text(200, std::move(bytes), playlist ? "application/vnd.apple.mpegurl" : "video/mp2t");
      // Decrypted personal media: never kept by a cache on the way.
      response.headers.emplace_back("Cache-Control", "private, no-store");
      return response;
    });
  });
  router.add("POST", "/api/v1/recordings/{id}/clips", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      json body = VEIL_TRY(json_body(request, {"title", "start_ms", "end_ms"}));
      auto title = body.find("title");
      if (title == body.end() || !title->is_string() || title->get_ref<const std::string&>().size() > 400)
        return Error::invalid("clip_title_invalid");
      live::ClipInfo clip = VEIL_TRY(library->cut(host, request.params["id"], title->get<std::string>(),
                                                  VEIL_TRY(whole_ms(body, "start_ms")), VEIL_TRY(whole_ms(body, "end_ms"))));
      return json_response(201, {{"clip", clip_json(clip, true)}});
    });
  });
  router.add("GET", "/api/v1/clips", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      json list = json::array();
      for (const auto& c : VEIL_TRY(library->books().clips_of(host))) list.push_back(clip_json(c, true));
      return json_response(200, {{"clips", list}});
    });
  });
  router.add("GET", "/api/v1/clips/{id}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      std::string viewer = viewer_of(ctx, request);
      live::ClipInfo clip = VEIL_TRY(library->books().clip(viewer, request.params["id"]));
      json out = clip_json(clip, clip.owner_id == viewer);
      out["mine"] = clip.owner_id == viewer;
      return json_response(200, {{"clip", out}});
    });
  });
  router.add("GET", "/api/v1/clips/{id}/media", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      live::ClipInfo clip = VEIL_TRY(library->books().clip(viewer_of(ctx, request), request.params["id"]));
      http::Response response = http::Response::text(200, VEIL_TRY(library->clip_mp4(clip)), "video/mp4");
      response.headers.emplace_back("Cache-Control", clip.published_at ? "no-cache" : "private, no-store");
      return response;
    });
  });
  router.add("POST", "/api/v1/clips/{id}/publish", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      json body = VEIL_TRY(json_body(request, {"published"}));
      bool published = VEIL_TRY(required_bool(body, "published"));
      live::ClipInfo clip = VEIL_TRY(library->books().publish_clip(host, request.params["id"], published));
      return json_response(200, {{"clip", clip_json(clip, true)}});
    });
  });
  router.add("DELETE", "/api/v1/clips/{id}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string host = VEIL_TRY(ctx.account_of(request));
      RecordingLibrary* library = VEIL_TRY(library_of(ctx));
      VEIL_TRY(library->remove_clip(host, request.params["id"]));
      return http::Response::empty(204);
    });
  });
}

}  // namespace veil::app
