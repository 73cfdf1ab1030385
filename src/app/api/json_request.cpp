#include "app/api/json_request.hpp"

#include <algorithm>

namespace veil::app {

Result<nlohmann::json> json_body(const http::Request& request, std::initializer_list<std::string_view> allowed) {
  std::string type = request.header("content-type");
  if (type.rfind("application/json", 0) != 0) return Error{ErrorCode::UnsupportedMedia, "content_type_invalid", ""};
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return Error::invalid("json_malformed");
  if (!body.is_object()) return Error::invalid("json_not_object");
  for (const auto& [key, value] : body.items())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) return Error::invalid("unknown_field", key);
  return body;
}

Result<std::optional<std::string>> optional_string(const nlohmann::json& body, std::string_view key, std::size_t max_length) {
  auto it = body.find(std::string(key));
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Error::invalid("field_type_invalid", std::string(key));
  std::string value = it->get<std::string>();
  if (value.size() > max_length) return Error::invalid("field_too_long", std::string(key));
  return std::optional<std::string>(std::move(value));
}

Result<std::string> required_string(const nlohmann::json& body, std::string_view key, std::size_t max_length) {
  auto value = VEIL_TRY(optional_string(body, key, max_length));
  if (!value) return Error::invalid("field_missing", std::string(key));
  return std::move(*value);
}

Result<std::vector<std::string>> string_list(const nlohmann::json& body, std::string_view key, std::size_t max_items) {
  std::vector<std::string> out;
  auto it = body.find(std::string(key));
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array() || it->size() > max_items) return Error::invalid("field_type_invalid", std::string(key));
  for (const auto& item : *it) {
    if (!item.is_string() || item.get_ref<const std::string&>().size() > 64)
      return Error::invalid("field_type_invalid", std::string(key));
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<bool> required_bool(const nlohmann::json& body, std::string_view key) {
  auto it = body.find(std::string(key));
  if (it == body.end()) return Error::invalid("field_missing", std::string(key));
  if (!it->is_boolean()) return Error::invalid("field_type_invalid", std::string(key));
  return it->get<bool>();
}

http::Response json_response(int status, const nlohmann::json& body) {
  return http::Response{status, "application/json; charset=utf-8", body.dump(), {{"Cache-Control", "no-store"}}};
}

}  // namespace veil::app
