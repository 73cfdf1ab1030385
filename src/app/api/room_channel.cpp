// The room channel (C4, C5) over WebSocket: GET /api/v1/rooms/{id}/channel. The first frame a
// client sends is {"type":"join", "session"?: bearer token, "ticket"?: watch ticket,
// "resume_after"?: seq}; credentials travel inside the connection, never in the URL. After the
// welcome the client may send {"type":"comment"|"question","text"} (signed in) and
// {"type":"ping"}. Errors come back as {"type":"error","error":{code,status,message}}.
#include <atomic>

#include "app/api/api_context.hpp"

namespace veil::app {

using nlohmann::json;

namespace {

// The connection's outgoing side, held by the hub while the connection is in the room.
class PeerSubscriber final : public live::RoomSubscriber {
 public:
  explicit PeerSubscriber(std::shared_ptr<http::WebSocketPeer> peer) : peer_(std::move(peer)) {}
  void deliver(const std::shared_ptr<const std::string>& frame) override { peer_->send_shared(frame); }
  void deliver_all(std::span<const std::shared_ptr<const std::string>> frames) override { peer_->send_shared(frames); }
  void close() override { peer_->close(); }

 private:
  std::shared_ptr<http::WebSocketPeer> peer_;
};

class ChannelConnection final : public http::WebSocketListener {
 public:
  ChannelConnection(ApiContext& ctx, std::string room_id, std::shared_ptr<http::WebSocketPeer> peer)
      : ctx_(ctx), room_id_(std::move(room_id)), peer_(std::move(peer)), flood_(ctx.clock, 20, 5 * kSecond) {}
  ~ChannelConnection() override { leave(); }

  void on_message(std::string_view text) override {
    // Any client, signed in or not, gets 20 frames per 5 seconds; a flood ends the connection.
    if (!flood_.allow("frames")) {
      send_error(Error{ErrorCode::ResourceExhausted, "channel_flooding", ""});
      peer_->close();
      return;
    }
    json message = json::parse(text, nullptr, false);
    if (!message.is_object() || !message.contains("type") || !message["type"].is_string())
      return send_error(Error::invalid("json_malformed"));
    std::string type = message["type"];
    Status st;
    if (type == "join") st = join(message);
    else if (!connection_) st = Error{ErrorCode::Unauthenticated, "channel_join_first", ""};
    else if (type == "comment" || type == "question") st = post(type, message);
    else if (type == "ping") ctx_.hub.send_to(room_id_, connection_, {{"type", "pong"}});
    else st = Error::invalid("message_type_unknown", type);
    if (!st.ok()) send_error(st.error());
  }

  void on_close() override { leave(); }

 private:
  Status join(const json& message) {
    if (connection_) return Error{ErrorCode::Conflict, "channel_joined", ""};
    live::Room room = VEIL_TRY(ctx_.rooms.get(room_id_));
    if (room.status == live::RoomStatus::Ended) return Error{ErrorCode::Conflict, "room_ended", ""};
    live::RoomMember member;
    if (message.contains("session") && message["session"].is_string()) {
      account_ = VEIL_TRY(ctx_.accounts.authenticate(message["session"].get<std::string>()));
      // A banned person stays out, however often they reconnect.
      if (VEIL_TRY(ctx_.moderation.penalty(account_, room_id_, live::PenaltyKind::Ban)))
        return Error{ErrorCode::PermissionDenied, "banned", ""};
      member.signed_in = true;
      member.account_id = account_;
      member.card = VEIL_TRY(presence_card(ctx_, room_id_, account_));
      member.viewer_id = member.card["viewer"];
    } else if (message.contains("ticket") && message["ticket"].is_string()) {
      member.viewer_id = VEIL_TRY(ctx_.rooms.check_watch_token(room_id_, message["ticket"].get<std::string>()));
    } else {
      return Error{ErrorCode::Unauthenticated, "watch_token_invalid", "join needs a session or a ticket"};
    }
    viewer_id_ = member.viewer_id;
    std::optional<std::int64_t> resume;
    if (message.contains("resume_after") && message["resume_after"].is_number_integer())
      resume = message["resume_after"].get<std::int64_t>();
    member.out = std::make_shared<PeerSubscriber>(peer_);
    connection_ = VEIL_TRY(ctx_.hub.join(room_id_, std::move(member), resume));
    return {};
  }

  Status post(const std::string& kind, const json& message) {
    if (account_.empty()) return Error{ErrorCode::Unauthenticated, "login_required", ""};
    if (!message.contains("text") || !message["text"].is_string()) return Error::invalid("message_empty");
    live::Room room = VEIL_TRY(ctx_.rooms.get(room_id_));
    if (room.status != live::RoomStatus::Live) return Error{ErrorCode::Conflict, "not_live", ""};
    if (VEIL_TRY(ctx_.moderation.penalty(account_, room_id_, live::PenaltyKind::Mute)))
      return Error{ErrorCode::PermissionDenied, "muted", ""};
    if (room.settings.comments_need_real_name) {
      if (!VEIL_TRY(ctx_.real_names.is_verified(account_))) return Error{ErrorCode::PermissionDenied, "real_name_required", ""};
    }
    auto posted = VEIL_TRY(ctx_.room_messages.post(room_id_, room.session_id, account_, kind, message["text"].get<std::string>(),
                                                   room.settings.slow_mode_seconds));
    json author = VEIL_TRY(presence_card(ctx_, room_id_, account_));
    return ctx_.hub.publish(room_id_, {{"type", kind}, {"id", posted.id}, {"text", posted.text}, {"at", posted.at}, {"author", author}});
  }

  void send_error(const Error& error) { peer_->send(json{{"type", "error"}, {"error", ctx_.errors.error_json(error)}}.dump()); }

  void leave() {
    if (connection_) ctx_.hub.leave(room_id_, connection_);
    connection_ = 0;
  }

  ApiContext& ctx_;
  std::string room_id_;
  std::shared_ptr<http::WebSocketPeer> peer_;
  RateLimiter flood_;
  std::uint64_t connection_ = 0;
  std::string account_;   // empty for an anonymous viewer
  std::string viewer_id_;
};

}  // namespace

std::string room_viewer_id(ApiContext& ctx, const std::string& room_id, const std::string& account_id) {
  return ctx.engine.vault().secret_hash("room_viewer", room_id + ":" + account_id).substr(0, 16);
}

Result<json> presence_card(ApiContext& ctx, const std::string& room_id, const std::string& account_id) {
  accounts::Me me = VEIL_TRY(ctx.accounts.me(account_id));
  json card = {{"viewer", room_viewer_id(ctx, room_id, account_id)}};
  // The profile fields the operator chose, only while the profile consent stands (Me carries the
  // profile only then).
  for (const auto& key : ctx.card_fields) {
    auto it = me.profile.find(key);
    if (it != me.profile.end() && it->second) card[key] = it->second->reveal();
  }
  return card;
}

void add_room_channel(http::Router& router, ApiContext& ctx) {
  router.add_websocket("/api/v1/rooms/{id}/channel",
                       [&ctx](const http::Request& request, std::shared_ptr<http::WebSocketPeer> peer)
                           -> std::variant<http::Response, std::unique_ptr<http::WebSocketListener>> {
                         std::string room = request.params.at("id");
                         return std::make_unique<ChannelConnection>(ctx, room, std::move(peer));
                       });
}

}  // namespace veil::app
