#include "app/api/error_messages.hpp"

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace veil::app {

Result<ErrorMessages> ErrorMessages::load_file(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error{ErrorCode::InvalidArgument, "errors_file_invalid",
                 path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description())};
  }
  ErrorMessages out;
  for (const auto& [key, node] : root) {
    const toml::table* t = node.as_table();
    auto zh = t ? (*t)["zh-CN"].value<std::string>() : std::nullopt;
    auto en = t ? (*t)["en"].value<std::string>() : std::nullopt;
    if (!zh || !en)
      return Error{ErrorCode::InvalidArgument, "errors_file_invalid",
                   path + ":" + std::to_string(node.source().begin.line) + ": [" + std::string(key.str()) + "] needs zh-CN and en"};
    out.messages_[std::string(key.str())] = {*zh, *en};
  }
  if (!out.knows("internal")) return Error{ErrorCode::InvalidArgument, "errors_file_invalid", path + ": [internal] is missing"};
  return out;
}

int ErrorMessages::status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::Unauthenticated: return 401;
    case ErrorCode::PermissionDenied: return 403;
    case ErrorCode::ConsentRequired: return 403;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::PayloadTooLarge: return 413;
    case ErrorCode::UnsupportedMedia: return 415;
    case ErrorCode::ResourceExhausted: return 429;
    case ErrorCode::Internal: return 500;
    case ErrorCode::Unavailable: return 503;
  }
  return 500;
}

namespace {
// Whole seconds, rounded up: a client that waits this long is not refused again for the same reason.
std::int64_t retry_after_seconds(const Error& error) { return (error.retry_after_ms + 999) / 1000; }

http::Response error_response(int status, const nlohmann::json& error) {
  nlohmann::json body{{"error", error}};
  return {status, "application/json; charset=utf-8", body.dump(), {{"Cache-Control", "no-store"}}};
}
}  // namespace

http::Response ErrorMessages::response(const Error& error) const {
  // Internal errors never show their reason or detail to the client (error_json sees to it).
  nlohmann::json json = error_json(error);
  http::Response r = error_response(json["status"].get<int>(), json);
  if (json.contains("retry_after")) r.headers.emplace_back("Retry-After", std::to_string(json["retry_after"].get<std::int64_t>()));
  return r;
}

nlohmann::json ErrorMessages::error_json(int status, std::string_view reason) const {
  auto it = messages_.find(std::string(reason));
  if (it == messages_.end()) it = messages_.find("internal");
  return {{"code", reason}, {"status", status}, {"message", {{"zh-CN", it->second.zh_cn}, {"en", it->second.en}}}};
}

nlohmann::json ErrorMessages::error_json(const Error& error) const {
  if (error.code == ErrorCode::Internal) return error_json(500, "internal");
  nlohmann::json out = error_json(status_of(error.code), error.reason);
  if (error.retry_after_ms > 0) out["retry_after"] = retry_after_seconds(error);
  return out;
}

http::Response ErrorMessages::response(int status, std::string_view reason) const {
  return error_response(status, error_json(status, reason));
}

}  // namespace veil::app
