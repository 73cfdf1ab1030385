#pragma once
// Reading a JSON request body strictly: JSON content type, an object, only the fields the
// endpoint knows (a typo is an error, not silently dropped data), and typed field access.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/http_types.hpp"
#include "util/result.hpp"

namespace veil::app {

Result<nlohmann::json> json_body(const http::Request& request, std::initializer_list<std::string_view> allowed);

Result<std::string> required_string(const nlohmann::json& body, std::string_view key, std::size_t max_length = 256);
Result<std::optional<std::string>> optional_string(const nlohmann::json& body, std::string_view key, std::size_t max_length = 256);
Result<std::vector<std::string>> string_list(const nlohmann::json& body, std::string_view key, std::size_t max_items = 64);
Result<bool> required_bool(const nlohmann::json& body, std::string_view key);

http::Response json_response(int status, const nlohmann::json& body);

}  // namespace veil::app
