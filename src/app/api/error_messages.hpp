#pragma once
// Turns an Error into the response every client sees: HTTP status, the stable code, and the
// message in zh-CN and en from i18n/errors.toml.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/datamap/data_map.hpp"
#include "http/http_types.hpp"
#include "util/error.hpp"
#include "util/result.hpp"

namespace veil::app {

class ErrorMessages {
 public:
  static Result<ErrorMessages> load_file(const std::string& path);

  http::Response response(const Error& error) const;
  http::Response response(int status, std::string_view reason) const;
  // The `error` object alone ({"code","status","message"}), e.g. for a WebSocket frame.
  nlohmann::json error_json(const Error& error) const;
  nlohmann::json error_json(int status, std::string_view reason) const;
  bool knows(std::string_view reason) const { return messages_.count(std::string(reason)) > 0; }
  const std::map<std::string, engine::LocalText>& all() const { return messages_; }

  static int status_of(ErrorCode code);

 private:
  std::map<std::string, engine::LocalText> messages_;
};

}  // namespace veil::app
