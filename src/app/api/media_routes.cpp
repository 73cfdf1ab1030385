// Media (C2, C3): WHIP publishing into a live room and the room's HLS output. The WHIP exchange
// follows RFC 9725: an SDP offer in, 201 with the SDP answer and a Location to DELETE when done.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

namespace {

Result<media::MediaService*> media_of(ApiContext& ctx) {
  if (ctx.media == nullptr) return Error{ErrorCode::Unavailable, "media_unavailable", "media is turned off"};
  return ctx.media;
}

// WHEP viewers: anyone who may watch the room — a signed-in session, or an anonymous viewing
// ticket from POST …/watch (which stores nothing). Returns the viewer's pseudonym in the room, the
// one the room's channel knows them by, so a person watching and chatting counts once.
Result<std::string> may_watch(ApiContext& ctx, const http::Request& request, const std::string& room) {
  std::string token = request.bearer_token();
  if (auto account = ctx.accounts.authenticate(token); account.ok()) return room_viewer_id(ctx, room, *account);
  return ctx.rooms.check_watch_token(room, token);
}

http::Response sdp_created(std::string sdp, std::string location) {
  http::Response response = http::Response::text(201, std::move(sdp), "application/sdp");
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

std::string hls_content_type(const std::string& name) {
  return name.ends_with(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t";
}

// A field of an application/x-www-form-urlencoded body (what nginx-rtmp's hooks send).
std::string form_field(std::string_view body, std::string_view name) {
  while (!body.empty()) {
    auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      std::string value(pair.substr(eq + 1));
      std::replace(value.begin(), value.end(), '+', ' ');
      return http::percent_decode(value);
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return {};
}

// Time independent of where the first difference is: the hook secret is guessed at byte by byte
// otherwise.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

void add_media_routes(http::Router& router, ApiContext& ctx) {
  // The publisher's credential is the bearer token: the live session's publish grant (host or
  // approved co-host), never a login session.
  router.add("POST", "/api/v1/rooms/{id}/whip", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      media::MediaService* media = VEIL_TRY(media_of(ctx));
      if (request.header("content-type").rfind("application/sdp", 0) != 0)
        return Error{ErrorCode::UnsupportedMedia, "sdp_content_type", ""};
      std::string token = request.bearer_token();
      if (token.empty()) return Error{ErrorCode::PermissionDenied, "publish_denied", "no credential"};
      const std::string& room = request.params["id"];
      media::PublishedStream stream = VEIL_TRY(media->publish(room, token, request.body));
      return sdp_created(std::move(stream.answer_sdp), "/api/v1/rooms/" + room + "/whip/" + stream.resource_id);
    });
  });
  // The resource URL is the capability: 128 random bits, known only to the publisher.
  router.add("DELETE", "/api/v1/rooms/{id}/whip/{resource}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      media::MediaService* media = VEIL_TRY(media_of(ctx));
      VEIL_TRY(media->unpublish(request.params["id"], request.params["resource"]));
      return http::Response::empty(200);
    });
  });
  // WHEP both ways (docs/api.md). A player's own offer (what standard WHEP players send) is answered
  // by a webrtcbin of Veil's; an empty POST gets Janus's offer (Debian's Janus 1.1.2 only makes
  // offers itself), and the viewer's answer goes to the resource by PATCH.
  router.add("POST", "/api/v1/rooms/{id}/whep", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      media::MediaService* media = VEIL_TRY(media_of(ctx));
      const std::string& room = request.params["id"];
      const std::string viewer = VEIL_TRY(may_watch(ctx, request, room));
      if (!request.body.empty()) {
        if (request.header("content-type").rfind("application/sdp", 0) != 0)
          return Error{ErrorCode::UnsupportedMedia, "sdp_content_type", ""};
        media::PublishedStream answered = VEIL_TRY(media->watch_with_offer(room, request.body, viewer));
        return sdp_created(std::move(answered.answer_sdp), "/api/v1/rooms/" + room + "/whep/" + answered.resource_id);
      }
      media::WatchOffer watch = VEIL_TRY(media->watch(room, viewer));
      return sdp_created(std::move(watch.offer_sdp), "/api/v1/rooms/" + room + "/whep/" + watch.resource_id);
    });
  });
  // [000] 面具连线: the host alone sees a masked co-host unmasked. Only the host's login session
  // opens this mount; for anyone else the request does not exist (404, as for an unknown one).
  router.add("POST", "/api/v1/rooms/{id}/cohost-requests/{request}/whep", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      media::MediaService* media = VEIL_TRY(media_of(ctx));
      std::string caller = VEIL_TRY(ctx.account_of(request));
      const std::string& room = request.params["id"];
      if (VEIL_TRY(ctx.rooms.get(room)).host.id != caller) return Error{ErrorCode::NotFound, "not_found", ""};
      std::string cohost;
      for (const auto& r : VEIL_TRY(ctx.cohosting.list(caller, room))) {
        if (r.id == request.params["request"] && r.masked && r.status == "approved") cohost = r.account_id;
      }
      if (cohost.empty()) return Error{ErrorCode::NotFound, "not_found", ""};
      media::WatchOffer watch = VEIL_TRY(media->watch_unmasked(room, cohost));
      return sdp_created(std::move(watch.offer_sdp), "/api/v1/rooms/" + room + "/whep/" + watch.resource_id);
    });
  });
  router.add("PATCH", "/api/v1/rooms/{id}/whep/{resource}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      media::MediaService* media = VEIL_TRY(media_of(ctx));
      if (request.header("content-type").rfind("application/sdp", 0) != 0)
        return Error{ErrorCode::UnsupportedMedia, "sdp_content_type", ""};
      VEIL_TRY(media->answer_watch(request.params["id"], request.params["resource"], request.body));
      return http::Response::empty(204);
    });
  });
  router.add("DELETE", "/api/v1/rooms/{id}/whep/{resource}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      media::MediaService* media = VEIL_TRY(media_of(ctx));
      VEIL_TRY(media->stop_watching(request.params["id"], request.params["resource"]));
      return http::Response::empty(200);
    });
  });
  // nginx-rtmp's hooks: on_publish (2xx lets an encoder's push in, anything else refuses it) and
  // on_publish_done. The secret in the path, known to nginx's generated configuration alone, is
  // the caller's credential; the stream name is the room and the key's query holds the publish
  // credential. The encoder's address, which nginx sends too, is never read.
  router.add("POST", "/api/v1/media/rtmp/{secret}/{event}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      media::MediaService* media = VEIL_TRY(media_of(ctx));
      if (!same_secret(request.params["secret"], ctx.rtmp_hook_secret)) return Error{ErrorCode::NotFound, "not_found", ""};
      const std::string room = form_field(request.body, "name");
      const std::string& event = request.params["event"];
      if (event == "publish") {
        const std::string token = form_field(request.body, "key");
        if (room.empty() || token.empty()) return Error{ErrorCode::PermissionDenied, "publish_denied", "no stream key"};
        VEIL_TRY(media->rtmp_publish(room, token, form_field(request.body, "clientid")));
        return http::Response::empty(204);
      }
      if (event == "publish_done") {
        media->rtmp_publish_done(room, form_field(request.body, "clientid"));
        return http::Response::empty(204);
      }
      return Error{ErrorCode::NotFound, "not_found", ""};
    });
  });
  // A live room's HLS output: public like the room itself (anonymous viewers watch), and masked
  // already — a masked co-host's face never reaches these files.
  router.add("GET", "/api/v1/rooms/{id}/hls/{file}", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      media::MediaService* media = VEIL_TRY(media_of(ctx));
      const std::string& name = request.params["file"];
      auto path = media->hls_file(request.params["id"], name);
      if (!path) return Error{ErrorCode::NotFound, "not_found", ""};
      std::ifstream in(*path, std::ios::binary);
      std::ostringstream body;
      body << in.rdbuf();
      // A segment was removed between the look-up and the read: the player asks again.
      if (!in) return Error{ErrorCode::NotFound, "not_found", ""};
      http::Response response = http::Response::text(200, body.str(), hls_content_type(name));
      // The playlist changes every segment; a segment never changes once listed.
      response.headers.emplace_back("Cache-Control", name.ends_with(".m3u8") ? "no-cache" : "max-age=60");
      return response;
    });
  });
}

}  // namespace veil::app
