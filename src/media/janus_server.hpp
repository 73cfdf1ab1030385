#pragma once
// Janus (Debian's 1.1.2), run by veil serve as a supervised child: configuration generated into a
// work directory, the Janus API over HTTP on 127.0.0.1 only behind a generated api_secret, the
// Streaming plugin alone (behind a generated admin_key), no admin API, no STUN/TURN, ICE on the
// configured interfaces only. Restarted with backoff when it dies; the owner recreates its
// mountpoints in on_restarted, since a restarted Janus starts empty.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "media/supervised_process.hpp"
#include "util/http_client.hpp"
#include "util/result.hpp"

namespace veil::media {

struct JanusServerOptions {
  // Holds the generated configuration (mode 0600: it carries the secrets) and janus.log; created
  // with mode 0700 when missing.
  std::filesystem::path work_dir;
  int http_port = 0;  // the Janus API on 127.0.0.1:<port>; required
  // UDP ports of the viewers' WebRTC media (ICE); must not overlap the mountpoint range.
  int rtp_port_min = 20000;
  int rtp_port_max = 20999;
  // UDP ports the Streaming plugin picks for RTP from our pipeline when a mountpoint asks for 0.
  int mountpoint_port_min = 21000;
  int mountpoint_port_max = 21999;
  // Interfaces Janus gathers ICE candidates on: names or address prefixes ("eth0", "10.1.").
  // Required, and each must match an up, non-loopback IPv4 interface: Janus 1.1.2 never offers
  // loopback candidates, and when nothing it is told matches it silently falls back to *every*
  // interface, IPv6 included. default_ice_interface() picks one for a single-machine setup.
  std::vector<std::string> ice_interfaces;
  // Janus's log level, 0-4: its levels 5-7 log viewers' ICE candidates (their IP addresses), so
  // they are refused. Warnings by default: at 4 (info) every viewer adds a dozen lines to a log
  // that nothing rotates, which grows with the audience for as long as the server runs.
  int debug_level = 3;
  // Threads that carry every viewer's media. Janus's own default is a thread per viewer, which
  // costs twice as much CPU per packet (docs/benchmarks.md: 44 vs 25 µs at 100+ viewers); shared
  // loops, one per core Janus may use, halve it. 0: one per CPU core of this machine; negative:
  // none, Janus's thread per viewer (for comparison in the benchmark).
  int event_loops = 0;
  std::string binary = "/usr/bin/janus";
  std::filesystem::path module_dir = "/usr/lib/x86_64-linux-gnu/janus";  // plugins/, transports/…
  std::chrono::milliseconds start_timeout{10'000};  // until the API answers, per (re)start
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30'000};
  // After a restart, once the API answers again, on the supervisor's thread.
  std::function<void()> on_restarted;
};

class JanusServer {
 public:
  // `http` must outlive the server; it is used from the supervisor's thread too.
  static Result<std::unique_ptr<JanusServer>> create(HttpClient& http, JanusServerOptions options);
  ~JanusServer();
  JanusServer(const JanusServer&) = delete;
  JanusServer& operator=(const JanusServer&) = delete;

  const std::string& base_url() const { return base_url_; }  // "http://127.0.0.1:<port>/janus"
  const std::string& api_secret() const { return api_secret_; }
  const std::string& admin_key() const { return admin_key_; }  // the Streaming plugin's
  bool healthy() const;  // running, and GET /janus/info answers now
  int restarts() const { return process_->restarts(); }
  pid_t pid() const { return process_->pid(); }
  std::filesystem::path log_path() const { return process_->log_path(); }

 private:
  JanusServer(HttpClient& http, JanusServerOptions options);
  Status write_configuration() const;
  bool answers() const;
  bool wait_until_answering() const;
  void started();  // SupervisedProcess::on_started

  HttpClient& http_;
  const JanusServerOptions options_;
  const std::string base_url_;
  const std::string api_secret_;
  const std::string admin_key_;
  std::atomic<int> starts_{0};
  std::atomic<bool> stopping_{false};
  std::unique_ptr<SupervisedProcess> process_;
};

struct IceInterface {
  std::string name;     // "eth0": what JanusServerOptions::ice_interfaces takes
  std::string address;  // its IPv4 address
};

// The first up, non-loopback interface with an IPv4 address, for a single machine where Veil,
// Janus and the viewers share the host; unavailable when there is none.
Result<IceInterface> default_ice_interface();

}  // namespace veil::media
