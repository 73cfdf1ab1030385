#include "media/janus_replies.hpp"

namespace veil::media::janus_replies {

using nlohmann::json;

namespace {

// Janus API error codes (Janus's apierror.h) and the Streaming plugin's (janus_streaming.c).
constexpr int kUnauthorized = 403;
constexpr int kSessionNotFound = 458;
constexpr int kHandleNotFound = 459;
constexpr int kJsepUnknownType = 464;
constexpr int kJsepInvalidSdp = 465;
constexpr int kStreamingMissingElement = 453;
constexpr int kStreamingInvalidElement = 454;
constexpr int kStreamingNoSuchMountpoint = 455;
constexpr int kStreamingCantCreate = 456;
constexpr int kStreamingUnauthorized = 457;

}  // namespace

const json& member(const json& object, const char* key) {
  static const json missing;
  if (!object.is_object()) return missing;
  auto found = object.find(key);
  return found == object.end() ? missing : *found;
}
std::string text(const json& object, const char* key) {
  const json& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}
std::int64_t number(const json& object, const char* key) {
  const json& value = member(object, key);
  return value.is_number_integer() ? value.get<std::int64_t>() : 0;
}

int janus_error_code(const json& reply) {
  if (text(reply, "janus") != "error") return 0;
  return static_cast<int>(number(member(reply, "error"), "code"));
}

bool session_gone(int code) { return code == kSessionNotFound || code == kHandleNotFound; }

Error core_error(const json& reply) {
  const int code = janus_error_code(reply);
  const std::string detail =
      "janus " + std::to_string(code) + ": " + text(member(reply, "error"), "reason");
  if (code == kJsepInvalidSdp || code == kJsepUnknownType)
    return Error::invalid("janus_sdp_invalid", detail);
  if (code == kUnauthorized) return {ErrorCode::Internal, "janus_rejected", detail};
  return Error::internal(detail);
}

const json* plugin_data(const json& reply) {
  const json& data = member(member(reply, "plugindata"), "data");
  return data.is_object() ? &data : nullptr;
}

Status plugin_status(const json* data) {
  if (data == nullptr) return Error::internal("janus reply without plugin data");
  const int code = static_cast<int>(number(*data, "error_code"));
  if (code == 0) return {};
  const std::string detail = "streaming " + std::to_string(code) + ": " + text(*data, "error");
  switch (code) {
    case kStreamingNoSuchMountpoint:
      return Error{ErrorCode::NotFound, "mountpoint_not_found", detail};
    case kStreamingCantCreate:
      return Error{ErrorCode::Conflict, "mountpoint_create_failed", detail};
    case kStreamingUnauthorized:
      return Error{ErrorCode::Internal, "janus_rejected", detail};
    case kStreamingMissingElement:
    case kStreamingInvalidElement:
      return Error::invalid("mountpoint_invalid", detail);
    default:
      return Error::internal(detail);
  }
}

}  // namespace veil::media::janus_replies
