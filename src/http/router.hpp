#pragma once
// Maps method + path to a handler. Patterns are literal segments and {name} parameters; the
// pattern itself names the route in metrics, so raw paths (which may carry ids) never do.
#include <string>
#include <vector>

#include "http/http_types.hpp"

namespace veil::http {

class Router {
 public:
  // `body_limit` (bytes) raises the server's default for this route only (uploads).
  void add(std::string method, std::string pattern, Handler handler, std::size_t body_limit = 0);
  void add_websocket(std::string pattern, WebSocketOpen open);
  void set_fallback(Handler handler) { fallback_ = std::move(handler); }  // e.g. the web app's files

  struct Match {
    const Handler* handler = nullptr;
    const WebSocketOpen* websocket = nullptr;
    std::string route;                      // the pattern, or "static", or "unmatched"
    std::map<std::string, std::string> params;
    bool wrong_method = false;              // path known, method not: 405
  };
  Match match(std::string_view method, std::string_view path, bool websocket_upgrade) const;
  // The route's own body limit, or 0 for the server's default; read before the body is.
  std::size_t body_limit(std::string_view method, std::string_view path) const;
  std::size_t largest_body_limit() const { return largest_body_limit_; }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    WebSocketOpen websocket;
    std::size_t body_limit = 0;
  };
  static bool match_segments(const Route& route, const std::vector<std::string_view>& parts,
                             std::map<std::string, std::string>& params);
  std::vector<Route> routes_;
  Handler fallback_;
  std::size_t largest_body_limit_ = 0;
};

}  // namespace veil::http
