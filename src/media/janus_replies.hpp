#pragma once
// Reading the replies of Janus's HTTP API: defensively (a missing or mistyped field reads as
// empty, never throws), and its error codes as Veil's coded errors. Janus's reasons carry only
// ids, no personal data.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "util/result.hpp"

namespace veil::media::janus_replies {

const nlohmann::json& member(const nlohmann::json& object, const char* key);
std::string text(const nlohmann::json& object, const char* key);
std::int64_t number(const nlohmann::json& object, const char* key);

// The core's error code in a reply ({"janus": "error", "error": {"code": …}}); 0: none.
int janus_error_code(const nlohmann::json& reply);
// The session or handle no longer exists (Janus restarted, or timed the session out).
bool session_gone(int code);
// An error of the Janus core, not a plugin's.
Error core_error(const nlohmann::json& reply);

// The Streaming plugin's answer inside a reply or event: {"plugindata": {"data": {...}}}; null: none.
const nlohmann::json* plugin_data(const nlohmann::json& reply);
// Its error_code as a coded error; ok when it has none.
Status plugin_status(const nlohmann::json* data);

}  // namespace veil::media::janus_replies
