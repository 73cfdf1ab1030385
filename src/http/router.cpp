#include "http/router.hpp"

#include <algorithm>

namespace veil::http {

namespace {
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return parts;
}
}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, std::size_t body_limit) {
  Route r{std::move(method), pattern, {}, std::move(handler), {}, body_limit};
  largest_body_limit_ = std::max(largest_body_limit_, body_limit);
  for (auto part : split_path(pattern)) r.segments.emplace_back(part);
  routes_.push_back(std::move(r));
}

void Router::add_websocket(std::string pattern, WebSocketOpen open) {
  Route r{"GET", pattern, {}, {}, std::move(open)};
  for (auto part : split_path(pattern)) r.segments.emplace_back(part);
  routes_.push_back(std::move(r));
}

bool Router::match_segments(const Route& route, const std::vector<std::string_view>& parts,
                            std::map<std::string, std::string>& params) {
  if (route.segments.size() != parts.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (parts[i].empty()) return false;
      found[seg.substr(1, seg.size() - 2)] = percent_decode(parts[i]);
    } else if (seg != parts[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

std::size_t Router::body_limit(std::string_view method, std::string_view path) const {
  Match m = match(method, path, false);
  if (!m.handler) return 0;
  for (const Route& r : routes_)
    if (&r.handler == m.handler) return r.body_limit;
  return 0;
}

Router::Match Router::match(std::string_view method, std::string_view path, bool websocket_upgrade) const {
  Match m;
  auto parts = split_path(path);
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_segments(r, parts, params)) continue;
    if (r.websocket) {
      if (!websocket_upgrade) continue;
      m.websocket = &r.websocket;
    } else {
      if (r.method != method) {
        m.wrong_method = true;
        m.route = r.pattern;
        continue;
      }
      m.handler = &r.handler;
    }
    m.route = r.pattern;
    m.params = std::move(params);
    m.wrong_method = false;
    return m;
  }
  if (!m.wrong_method && fallback_) {
    m.handler = &fallback_;
    m.route = "static";
  } else if (!m.wrong_method) {
    m.route = "unmatched";
  }
  return m;
}

}  // namespace veil::http
