#include "media/janus_server.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <string_view>
#include <thread>

#include "media/child_support.hpp"
#include "util/encoding.hpp"

namespace veil::media {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kStreamingPlugin = "libjanus_streaming.so";
constexpr std::string_view kHttpTransport = "libjanus_http.so";

struct LocalAddress {
  std::string interface;
  std::string ip;
  bool loopback = false;
};

// IPv4 addresses of interfaces that are up and running: the ones Janus 1.1.2 itself considers for
// ICE (it skips IPv6 unless enabled, and loopback always).
std::vector<LocalAddress> local_ipv4_addresses() {
  std::vector<LocalAddress> addresses;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return addresses;
  for (ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET) continue;
    if ((entry->ifa_flags & IFF_UP) == 0 || (entry->ifa_flags & IFF_RUNNING) == 0) continue;
    char text[INET_ADDRSTRLEN] = {};
    sockaddr_in address{};
    std::memcpy(&address, entry->ifa_addr, sizeof address);
    if (::inet_ntop(AF_INET, &address.sin_addr, text, sizeof text) == nullptr) continue;
    addresses.push_back({entry->ifa_name, text, (entry->ifa_flags & IFF_LOOPBACK) != 0});
  }
  ::freeifaddrs(list);
  return addresses;
}

// Janus matches an enforce-list entry as a prefix of an interface name or of an address.
bool matches(std::string_view entry, const LocalAddress& address) {
  return address.interface.starts_with(entry) || address.ip.starts_with(entry);
}

Status check_ice_interfaces(const std::vector<std::string>& entries) {
  if (entries.empty())
    return Error::invalid("janus_ice_interfaces_missing",
                          "Janus would gather ICE candidates on every interface");
  const auto addresses = local_ipv4_addresses();
  for (const auto& entry : entries) {
    if (entry.empty() || entry.find_first_of(",\" \t\n") != std::string::npos)
      return Error::invalid("janus_ice_interface_invalid",
                            "an ICE interface entry is empty or has a separator");
    const bool usable = std::any_of(addresses.begin(), addresses.end(), [&](const LocalAddress& a) {
      return !a.loopback && matches(entry, a);
    });
    if (usable) continue;
    const bool loopback =
        std::any_of(addresses.begin(), addresses.end(),
                    [&](const LocalAddress& a) { return a.loopback && matches(entry, a); });
    if (loopback)
      return Error::invalid("janus_ice_loopback_unsupported",
                            "Janus 1.1.2 never gathers ICE candidates on loopback: " + entry);
    return Error::invalid("janus_ice_interface_not_found", "no up IPv4 interface matches " + entry);
  }
  return {};
}

Status check_range(std::string_view what, int low, int high) {
  if (low < 1024 || high > 65535 || low > high)
    return Error::invalid("janus_port_range_invalid",
                          std::string(what) + " must lie within 1024-65535, low <= high");
  return {};
}

// Every .so in a Janus module folder but the ones we keep: Janus loads whatever it finds there
// unless told otherwise, and each extra plugin or transport is attack surface.
std::string disable_list(const std::filesystem::path& folder,
                         const std::set<std::string_view>& keep) {
  std::string list;
  std::error_code ec;
  for (const auto& file : std::filesystem::directory_iterator(folder, ec)) {
    const std::string name = file.path().filename().string();
    if (!name.ends_with(".so") || keep.contains(name)) continue;
    if (!list.empty()) list += ",";
    list += name;
  }
  return list;
}

std::string join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& part : parts) joined += (joined.empty() ? "" : ",") + part;
  return joined;
}

}  // namespace

Result<IceInterface> default_ice_interface() {
  for (const auto& address : local_ipv4_addresses())
    if (!address.loopback) return IceInterface{address.interface, address.ip};
  return Error{ErrorCode::Unavailable, "janus_no_ice_interface",
               "no up, non-loopback IPv4 interface"};
}

JanusServer::JanusServer(HttpClient& http, JanusServerOptions options)
    : http_(http),
      options_(std::move(options)),
      base_url_("http://127.0.0.1:" + std::to_string(options_.http_port) + "/janus"),
      api_secret_(random_id(24)),
      admin_key_(random_id(24)) {}

Result<std::unique_ptr<JanusServer>> JanusServer::create(HttpClient& http,
                                                         JanusServerOptions options) {
  if (options.http_port <= 0 || options.http_port > 65535)
    return Error::invalid("janus_http_port_invalid");
  VEIL_TRY(check_range("rtp ports", options.rtp_port_min, options.rtp_port_max));
  VEIL_TRY(
      check_range("mountpoint ports", options.mountpoint_port_min, options.mountpoint_port_max));
  if (options.rtp_port_min <= options.mountpoint_port_max &&
      options.mountpoint_port_min <= options.rtp_port_max)
    return Error::invalid("janus_port_range_invalid",
                          "the WebRTC and mountpoint port ranges overlap");
  if (options.debug_level < 0 || options.debug_level > 4)
    return Error::invalid("janus_debug_level_invalid", "levels above 4 log viewers' addresses");
  VEIL_TRY(check_ice_interfaces(options.ice_interfaces));
  if (::access(options.binary.c_str(), X_OK) != 0)
    return Error{ErrorCode::Unavailable, "janus_missing", options.binary + " is not installed"};

  std::error_code ec;
  std::filesystem::create_directories(options.work_dir, ec);
  std::filesystem::permissions(options.work_dir, std::filesystem::perms::owner_all, ec);
  if (ec)
    return Error::internal("janus work directory " + options.work_dir.string() + ": " +
                           ec.message());

  std::unique_ptr<JanusServer> server(new JanusServer(http, std::move(options)));
  VEIL_TRY(server->write_configuration());

  const auto& o = server->options_;
  SupervisedProcessOptions process;
  process.name = "janus";
  process.argv = {o.binary, "--configs-folder=" + (o.work_dir / "conf").string()};
  process.work_dir = o.work_dir;
  process.initial_backoff = o.initial_backoff;
  process.max_backoff = o.max_backoff;
  process.on_started = [raw = server.get()] { raw->started(); };
  server->process_ = VEIL_TRY(SupervisedProcess::create(std::move(process)));

  // A Janus that exits during start-up (its port taken, a broken plugin) fails fast instead of
  // waiting out the timeout.
  const auto deadline = Clock::now() + o.start_timeout;
  while (!server->answers()) {
    if (server->process_->restarts() > 0 || !server->process_->running())
      return Error{ErrorCode::Unavailable, "janus_unavailable",
                   "janus exited during start-up; see " + server->log_path().string()};
    if (Clock::now() >= deadline)
      return Error{ErrorCode::Unavailable, "janus_unavailable",
                   "janus API did not answer; see " + server->log_path().string()};
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  spdlog::info("janus: API ready on 127.0.0.1:{}", o.http_port);
  return server;
}

JanusServer::~JanusServer() {
  stopping_ = true;  // ends a wait_until_answering() the supervisor thread may be in
  process_.reset();
}

Status JanusServer::write_configuration() const {
  const auto conf = options_.work_dir / "conf";
  std::error_code ec;
  std::filesystem::create_directories(conf, ec);
  if (ec) return Error::internal("create " + conf.string() + ": " + ec.message());
  const auto& modules = options_.module_dir;

  // Only what differs from Janus's defaults, and every default that matters to privacy spelled out.
  // No stun_server/turn_server: Janus never contacts anything outside this machine; ignore_mdns:
  // it never resolves viewers' .local names (peer-reflexive candidates still connect them).
  const std::string janus = fmt::format(
      R"(general: {{
  configs_folder = "{conf}"
  plugins_folder = "{modules}/plugins"
  transports_folder = "{modules}/transports"
  events_folder = "{modules}/events"
  loggers_folder = "{modules}/loggers"
  debug_level = {debug_level}
  event_loops = {event_loops}
  debug_timestamps = true
  debug_colors = false
  api_secret = "{api_secret}"
  server_name = "veil"
  session_timeout = 60
  hide_dependencies = true
}}
media: {{
  rtp_port_range = "{rtp_min}-{rtp_max}"
}}
nat: {{
  nice_debug = false
  full_trickle = false
  ignore_mdns = true
  ice_enforce_list = "{ice}"
  # Without connectivity checks as keepalives Janus never notices a viewer
  # whose tab vanished; with them it reports one in about a minute.
  ice_keepalive_conncheck = true
}}
plugins: {{
  disable = "{plugins}"
}}
transports: {{
  disable = "{transports}"
}}
loggers: {{
  disable = "{loggers}"
}}
events: {{
  broadcast = false
  disable = "{events}"
}}
)",
      fmt::arg("conf", conf.string()), fmt::arg("modules", modules.string()),
      fmt::arg("debug_level", options_.debug_level), fmt::arg("api_secret", api_secret_),
      fmt::arg("event_loops", options_.event_loops < 0    ? 0  // Janus: 0 is a thread per viewer
                              : options_.event_loops > 0 ? options_.event_loops
                                                         : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
      fmt::arg("rtp_min", options_.rtp_port_min), fmt::arg("rtp_max", options_.rtp_port_max),
      fmt::arg("ice", join(options_.ice_interfaces)),
      fmt::arg("plugins", disable_list(modules / "plugins", {kStreamingPlugin})),
      fmt::arg("transports", disable_list(modules / "transports", {kHttpTransport})),
      fmt::arg("loggers", disable_list(modules / "loggers", {})),
      fmt::arg("events", disable_list(modules / "events", {})));

  // The Janus API on loopback only, IPv4 (ip set, so no [::] listener), no admin API, no HTTPS.
  const std::string http = fmt::format(
      R"(general: {{
  json = "plain"
  base_path = "/janus"
  http = true
  port = {port}
  ip = "127.0.0.1"
  acl = "127."
  https = false
}}
admin: {{
  admin_http = false
  admin_https = false
}}
)",
      fmt::arg("port", options_.http_port));

  // No stock mountpoints (the sample file binds 5002/5004 and a file source); mountpoints exist
  // only when Veil creates them with the admin key, never saved to disk.
  const std::string streaming = fmt::format(
      R"(general: {{
  admin_key = "{admin_key}"
  rtp_port_range = "{low}-{high}"
  events = false
  string_ids = false
}}
)",
      fmt::arg("admin_key", admin_key_), fmt::arg("low", options_.mountpoint_port_min),
      fmt::arg("high", options_.mountpoint_port_max));

  VEIL_TRY(write_private_file(conf / "janus.jcfg", janus));
  VEIL_TRY(write_private_file(conf / "janus.transport.http.jcfg", http));
  VEIL_TRY(write_private_file(conf / "janus.plugin.streaming.jcfg", streaming));
  return {};
}

bool JanusServer::answers() const {
  HttpRequest request;
  request.method = "GET";
  request.url = base_url_ + "/info";
  request.timeout_ms = 1000;
  auto response = http_.send(request);
  return response.ok() && response->status == 200 &&
         response->body.find("server_info") != std::string::npos;
}

bool JanusServer::healthy() const { return process_->running() && answers(); }

bool JanusServer::wait_until_answering() const {
  const auto deadline = Clock::now() + options_.start_timeout;
  while (!stopping_ && Clock::now() < deadline) {
    if (answers()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

void JanusServer::started() {
  // The first start is awaited by create(); later ones are restarts of an empty Janus. Nothing
  // here touches process_: the first call may run before create() has stored it.
  const int starts = ++starts_;
  if (starts == 1) return;
  if (!wait_until_answering()) {
    if (!stopping_)
      spdlog::error(
          "janus: restarted but its API did not answer; see its log in the work directory");
    return;
  }
  spdlog::warn("janus: restarted (restart {}); its mountpoints are gone", starts - 1);
  if (options_.on_restarted) options_.on_restarted();
}

}  // namespace veil::media
