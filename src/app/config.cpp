#include "app/config.hpp"

#include "modules/accounts/account_types.hpp"

#include <algorithm>

#include <toml++/toml.h>

namespace veil::app {

Result<HostPort> parse_host_port(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0) return Error::invalid("listen_address_invalid", host_port);
  int port_number = 0;
  try {
    port_number = std::stoi(host_port.substr(colon + 1));
  } catch (...) {
    return Error::invalid("listen_address_invalid", host_port);
  }
  if (port_number < 0 || port_number > 65535) return Error::invalid("listen_address_invalid", host_port);
  return HostPort{host_port.substr(0, colon), port_number};
}

Status Config::set_listen(const std::string& host_port) {
  HostPort parsed = VEIL_TRY(parse_host_port(host_port));
  host = parsed.host;
  port = static_cast<unsigned short>(parsed.port);
  return {};
}

Status Config::set_rtmp_listen(const std::string& host_port) {
  HostPort parsed = VEIL_TRY(parse_host_port(host_port));
  media.rtmp_host = parsed.host;
  media.rtmp_port = parsed.port;
  return {};
}

Result<Config> Config::load_file(const std::filesystem::path& path) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    return Error::invalid("config_invalid", path.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                                                std::string(e.description()));
  }
  Config c;
  if (auto listen = root["listen"].value<std::string>()) VEIL_TRY(c.set_listen(*listen));
  if (auto v = root["data_dir"].value<std::string>()) c.data_dir = *v;
  if (auto v = root["database"].value<std::string>()) c.database = *v;
  if (auto v = root["resources"].value<std::string>()) c.resources = *v;
  if (auto v = root["web_root"].value<std::string>()) c.web_root = *v;
  if (auto v = root["threads"].value<int>()) c.threads = *v;
  for (auto [name, provider] : {std::pair{"sms", &c.sms}, std::pair{"face", &c.face}, std::pair{"payment", &c.payment}}) {
    if (auto v = root[name]["provider"].value<std::string>()) provider->provider = *v;
    if (auto v = root[name]["url"].value<std::string>()) provider->url = *v;
    if (auto v = root[name]["secret_file"].value<std::string>()) provider->secret_file = *v;
    if (provider->provider != "dev" && provider->provider != "http")
      return Error::invalid("config_invalid", path.string() + ": " + name + ".provider must be dev or http");
  }
  if (auto v = root["live"]["redis"].value<std::string>()) c.redis = *v;
  if (auto v = root["live"]["round_hold_ms"].value<int>()) {
    if (*v < 0 || *v > 1000) return Error::invalid("config_invalid", path.string() + ": live.round_hold_ms must be 0 to 1000");
    c.rounds.hold = std::chrono::milliseconds(*v);
  }
  if (auto v = root["live"]["round_from_viewers"].value<int>()) {
    if (*v < 1) return Error::invalid("config_invalid", path.string() + ": live.round_from_viewers must be at least 1");
    c.rounds.from_connections = static_cast<std::size_t>(*v);
  }
  if (auto fields = root["live"]["card_fields"].as_array()) {
    c.card_fields.clear();
    for (const auto& f : *fields) {
      auto name = f.value<std::string>();
      const auto& known = accounts::profile_keys();
      if (!name || std::find(known.begin(), known.end(), *name) == known.end())
        return Error::invalid("config_invalid", path.string() + ": live.card_fields: each must be one of the profile fields");
      c.card_fields.push_back(*name);
    }
  }
  if (auto v = root["media"]["enabled"].value<bool>()) c.media.enabled = *v;
  if (auto v = root["media"]["webrtc"].value<bool>()) c.media.webrtc = *v;
  if (auto v = root["media"]["webrtc_viewers_per_room"].value<int>()) {
    if (*v < 0) return Error::invalid("config_invalid", path.string() + ": media.webrtc_viewers_per_room must be 0 or more");
    c.media.webrtc_viewers_per_room = *v;
  }
  if (auto v = root["media"]["webrtcbin_viewers_per_room"].value<int>()) {
    if (*v < 0) return Error::invalid("config_invalid", path.string() + ": media.webrtcbin_viewers_per_room must be 0 or more");
    c.media.webrtcbin_viewers_per_room = *v;
  }
  if (auto v = root["media"]["rtmp"].value<bool>()) c.media.rtmp = *v;
  if (auto v = root["media"]["rtmp_listen"].value<std::string>()) {
    if (!c.set_rtmp_listen(*v).ok()) return Error::invalid("config_invalid", path.string() + ": media.rtmp_listen must be host:port");
  }
  if (auto v = root["media"]["rtmp_url"].value<std::string>()) {
    if (v->rfind("rtmp://", 0) != 0 && v->rfind("rtmps://", 0) != 0)
      return Error::invalid("config_invalid", path.string() + ": media.rtmp_url must start with rtmp:// or rtmps://");
    c.media.rtmp_url = *v;
  }
  if (auto v = root["media"]["video_kbps"].value<int>()) {
    if (*v < 100 || *v > 20000) return Error::invalid("config_invalid", path.string() + ": media.video_kbps must be 100 to 20000");
    c.media.video_kbps = *v;
  }
  for (const auto& [key, value] : root) {
    static const char* kKnown[] = {"listen", "data_dir", "database", "resources", "web_root", "threads",
                                   "sms",    "face",     "payment",  "live",      "media"};
    if (std::none_of(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return key.str() == k; }))
      return Error::invalid("config_invalid", path.string() + ":" + std::to_string(value.source().begin.line) +
                                                  ": unknown key `" + std::string(key.str()) + "`");
  }
  return c;
}

void Config::resolve_defaults() {
  if (resources.empty())
    resources = std::filesystem::exists("datamap/datamap.toml") ? std::filesystem::current_path()
                                                                : std::filesystem::path(VEIL_SOURCE_DIR);
  if (web_root.empty()) web_root = resources / "web" / "dist";
}

}  // namespace veil::app
