// WebRTC viewers per core: Janus 1.1.2's Streaming plugin (as Veil runs it) beside one webrtcbin
// per viewer behind a tee, fed the same 640x360 H.264 ~1 Mbit/s RTP stream, in one run, each on
// core 0 in turn — docs/benchmarks.md, "WebRTC viewers per core".
//
// Method.
// - Servers, on core 0: Janus started by Veil's JanusServer (its generated configuration; ICE on
//   this machine's non-loopback address, since Janus 1.1.2 gathers no loopback candidates; one
//   event loop, Veil's loop per core for the one core it gets here, or --janus-event-loops N, 0
//   for Janus's own thread per viewer), every thread pinned to core 0 once started (threads it makes later inherit that); an H.264
//   mountpoint made by Veil's JanusStreaming. The reference: this program again,
//   `--serve-webrtcbin`, under `taskset -c 0`: udpsrc → tee → per viewer queue → webrtcbin.
// - Feed, on core 1: gst-launch-1.0 encoding videotestsrc noise ("snow", so x264's rate control
//   spends the whole 1 Mbit/s) at 640x360 30 fps, x264 ultrafast zerolatency, key frame every
//   second, RTP (MTU 1200) sent to both servers at once.
// - Client, on core 1 (this process): CountingClient — every viewer on one UDP socket in one
//   thread, answering STUN checks and doing the DTLS-SRTP handshake, then counting SRTP packets
//   from their clear RTP headers (sequence gaps = loss, marker bits = frames); nothing decrypted,
//   nothing decoded. Viewers per step are added with the real signalling (Janus's watch/start over
//   its HTTP API; the reference over a pipe) and kept for the next step.
// - A step: add viewers up to N, wait until every one finished DTLS, 3 s settle, then a window of
//   --window s: the server's CPU from /proc/<pid>/stat (all threads, user + system), the client's
//   from getrusage (the whole process), the feed's from /proc, and per viewer packets, lost
//   packets and frames. Loss is the window's lost / (received + lost) over all viewers.
// - A step is INVALID when the client's socket dropped packets (SO_RXQ_OVFL), or the client was
//   saturated: its process used ≥ 90 % of core 1 together with the feed, or, with --busy-client
//   (the client polls its socket instead of sleeping on it, see CountingClient::create), fewer
//   than half its polls found the socket empty ("idle%"). Then the client, not the server, is
//   what was measured. A server "drops frames" at a step when its loss exceeds --max-loss (default
//   0.1 %) or a viewer got fewer than 29 of the feed's 30 frames a second; stepping up stops
//   for that server after the first such step.
// Kernel accounting: on loopback the receiving socket's UDP work runs inside the sender's
// sendmsg() and is charged to the sender, so each server's CPU includes delivering into the
// client's socket — the same for both servers — and, unless the client polls, waking its thread.
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "counting_client.hpp"
#include "http/curl_http_client.hpp"
#include "media/child_support.hpp"
#include "media/janus_server.hpp"
#include "media/janus_streaming.hpp"
#include "webrtcbin_fanout.hpp"

namespace vm = veil::media;
using namespace veil::bench::media;
using namespace std::chrono_literals;

namespace {

struct Options {
  std::vector<int> steps = {50, 100, 200, 300, 400, 500, 600, 800};
  int window_s = 10;
  double max_loss_percent = 0.1;
  bool janus = true, webrtcbin = true;
  // Veil's rule is a loop per core Janus may use, and here it has one. 0: Janus's own default, a
  // thread per viewer (what Veil shipped before), for comparison.
  int janus_event_loops = 1;
  bool busy_client = false;  // the client polls instead of sleeping (CountingClient::create)
};

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + "/" + b + "/" + c;
}

double process_cpu_s(pid_t pid) {  // user + system of every thread, seconds
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stoull(f);
    if (i == 15) stime = std::stoull(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string status_field(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(name + ":", 0) == 0) {
      auto v = line.substr(name.size() + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  return "?";
}

double self_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void pin(pid_t tid, int core) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(core, &set);
  sched_setaffinity(tid, sizeof set, &set);
}

void pin_process(pid_t pid, int core) {  // every thread it has now
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task"))
    pin(static_cast<pid_t>(std::stoi(task.path().filename().string())), core);
}

struct Child {
  pid_t pid = -1;
  FILE* to = nullptr;
  FILE* from = nullptr;
};

Child spawn(const std::vector<std::string>& argv, bool piped) {
  int in[2], out[2];
  if (piped && (pipe(in) != 0 || pipe(out) != 0)) return {};
  Child c;
  c.pid = fork();
  if (c.pid == 0) {
    if (piped) {
      dup2(in[0], 0), dup2(out[1], 1);
      close(in[1]), close(out[0]);
    } else {
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  if (piped) {
    close(in[0]), close(out[1]);
    c.to = fdopen(in[1], "w");
    c.from = fdopen(out[0], "r");
  }
  return c;
}

std::string read_line(FILE* f) {
  std::string line;
  for (int ch; (ch = std::fgetc(f)) != EOF && ch != '\n';) line += static_cast<char>(ch);
  return line;
}

// One server under test: how to add a viewer, and its process.
struct Server {
  std::string name;
  pid_t pid = -1;
  std::function<bool(CountingClient&)> add_viewer;
};

// Steps up the viewers of one server; returns the largest N without drops from a valid step.
int step_up(Server& server, CountingClient& client, pid_t feed_pid, const Options& o) {
  int added = 0, best = 0;
  std::printf("== %s (pid %d, core 0)\n", server.name.c_str(), server.pid);
  std::printf("%-6s %-15s %9s %8s %7s %8s %8s %8s %9s %9s %8s %7s %6s %8s %s\n", "viewers", "load", "server%", "µs/pkt", "conn", "fps med",
              "fps min", "kbit/s", "loss %", "client%", "feed%", "cl%/v", "idle%", "threads", "verdict");
  for (int n : o.steps) {
    const auto add_started = std::chrono::steady_clock::now();
    while (added < n) {
      if (!server.add_viewer(client)) {
        std::printf("   could not add viewer %d\n", added + 1);
        return best;
      }
      ++added;
    }
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (client.connected() < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(100ms);
    const double add_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - add_started).count();
    std::this_thread::sleep_for(3s);
    std::uint64_t drops = 0;
    double idle_polls = 1;
    client.take_window(&drops);
    const std::string load = load_average();
    const double s0 = process_cpu_s(server.pid), c0 = self_cpu_s(), f0 = process_cpu_s(feed_pid);
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(o.window_s));
    auto counts = client.take_window(&drops, &idle_polls);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double server_cpu = (process_cpu_s(server.pid) - s0) / wall, client_cpu = (self_cpu_s() - c0) / wall,
                 feed_cpu = (process_cpu_s(feed_pid) - f0) / wall;
    std::vector<double> fps;
    std::uint64_t packets = 0, lost = 0, bytes = 0;
    int connected = 0;
    for (const auto& c : counts) {
      fps.push_back(static_cast<double>(c.frames) / wall);
      packets += c.packets, lost += c.lost, bytes += c.bytes;
      connected += c.connected ? 1 : 0;
    }
    std::sort(fps.begin(), fps.end());
    const double loss = packets + lost == 0 ? 100.0 : 100.0 * static_cast<double>(lost) / static_cast<double>(packets + lost);
    const double fps_median = fps.empty() ? 0 : fps[fps.size() / 2], fps_min = fps.empty() ? 0 : fps.front();
    const double kbps = static_cast<double>(bytes) * 8 / 1000 / wall / std::max<std::size_t>(1, counts.size());
    // A polling client uses its core whatever its load: it is saturated when its socket is
    // seldom empty. A sleeping one, when it and the feed fill core 1.
    const bool saturated = o.busy_client ? idle_polls < 0.5 : client_cpu + feed_cpu >= 0.9;
    const bool invalid = saturated || drops > 0;
    const bool dropping = loss > o.max_loss_percent || fps_min < 29 || connected < n;
    std::string verdict = invalid ? "INVALID (client" + std::string(drops > 0 ? " socket dropped " + std::to_string(drops) : " saturated") + ")"
                                  : dropping ? "drops frames" : "ok";
    std::printf("%-7d %-15s %8.1f %8.2f %7d %8.1f %8.1f %8.0f %9.3f %9.1f %8.1f %7.2f %6.1f %8s %s (added in %.0f s)\n", n, load.c_str(),
                100 * server_cpu, packets == 0 ? 0.0 : 1e6 * server_cpu * wall / static_cast<double>(packets + lost), connected, fps_median,
                fps_min, kbps, loss, 100 * client_cpu, 100 * feed_cpu, 100 * client_cpu / std::max(1, n), 100 * idle_polls,
                status_field(server.pid, "Threads").c_str(), verdict.c_str(), add_s);
    std::fflush(stdout);
    if (!invalid && !dropping) best = n;
    if (dropping || invalid || server_cpu > 0.98) break;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 4 && std::string(argv[1]) == "--serve-webrtcbin") return serve_webrtcbin_fanout(std::atoi(argv[2]), argv[3]);
  Options o;
  const option long_options[] = {{"steps", required_argument, nullptr, 's'},
                                 {"window", required_argument, nullptr, 'w'},
                                 {"max-loss", required_argument, nullptr, 'l'},
                                 {"only", required_argument, nullptr, 'o'},
                                 {"janus-event-loops", required_argument, nullptr, 'e'},
                                 {"busy-client", no_argument, nullptr, 'b'},
                                 {nullptr, 0, nullptr, 0}};
  for (int c; (c = getopt_long(argc, argv, "", long_options, nullptr)) != -1;) {
    switch (c) {
      case 's': {
        o.steps.clear();
        std::istringstream in(optarg);
        for (std::string n; std::getline(in, n, ',');) o.steps.push_back(std::stoi(n));
        break;
      }
      case 'w': o.window_s = std::atoi(optarg); break;
      case 'e': o.janus_event_loops = std::atoi(optarg); break;
      case 'l': o.max_loss_percent = std::atof(optarg); break;
      case 'b': o.busy_client = true; break;
      case 'o':
        o.janus = std::string(optarg) == "janus";
        o.webrtcbin = std::string(optarg) == "webrtcbin";
        break;
      default:
        std::fprintf(stderr, "usage: veil_viewers_bench [--steps 50,100,...] [--window S] [--max-loss PERCENT] [--only janus|webrtcbin] [--janus-event-loops N (0: a thread per viewer)] [--busy-client]\n");
        return 2;
    }
  }
  if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
    std::fprintf(stderr, "needs 2 cores: servers on 0, client and feed on 1\n");
    return 1;
  }
  pin(0, 1);  // this process (the client) on core 1; threads made from here on inherit it
  signal(SIGPIPE, SIG_IGN);
  auto ice = vm::default_ice_interface();
  if (!ice.ok()) {
    std::fprintf(stderr, "no ICE interface: %s\n", ice.error().detail.c_str());
    return 1;
  }
  auto client = CountingClient::create(ice->address, o.busy_client);
  if (!client.ok()) {
    std::fprintf(stderr, "client: %s\n", client.error().detail.c_str());
    return 1;
  }
  char dir_template[] = "/tmp/veil-viewers.XXXXXX";
  const std::filesystem::path work = mkdtemp(dir_template);
  std::printf("viewers per core: load at start %s; client on %s; steps", load_average().c_str(), ice->address.c_str());
  for (int n : o.steps) std::printf(" %d", n);
  std::printf(", %d s windows; the client %s\n", o.window_s, o.busy_client ? "polls" : "sleeps until a packet comes");

  veil::http::CurlHttpClient http;
  vm::JanusServerOptions janus_options;
  janus_options.work_dir = work / "janus";
  janus_options.http_port = vm::free_loopback_port(SOCK_STREAM).value();
  janus_options.ice_interfaces = {ice->name};
  janus_options.rtp_port_min = 30000;  // one port per viewer: room for 2,000
  janus_options.rtp_port_max = 31999;
  janus_options.mountpoint_port_min = 32000;
  janus_options.mountpoint_port_max = 32049;
  janus_options.event_loops = o.janus_event_loops > 0 ? o.janus_event_loops : -1;
  std::unique_ptr<vm::JanusServer> janus;
  std::unique_ptr<vm::JanusStreaming> streaming;
  vm::Mountpoint mount;
  if (o.janus) {
    auto made = vm::JanusServer::create(http, janus_options);
    if (!made.ok()) {
      std::fprintf(stderr, "janus: %s\n", made.error().detail.c_str());
      return 1;
    }
    janus = std::move(made).value();
    pin_process(janus->pid(), 0);
    auto connected = vm::JanusStreaming::connect(http, janus->base_url(), janus->api_secret(), janus->admin_key());
    if (!connected.ok()) return 1;
    streaming = std::move(connected).value();
    vm::MountpointSpec spec;
    spec.name = "viewers bench";
    spec.video_codec = "h264";
    auto opened = streaming->create_mountpoint(spec);
    if (!opened.ok()) {
      std::fprintf(stderr, "mountpoint: %s\n", opened.error().detail.c_str());
      return 1;
    }
    mount = *opened;
  }
  const int reference_port = vm::free_loopback_port(SOCK_DGRAM).value();
  Child reference;
  if (o.webrtcbin) {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    reference = spawn({"taskset", "-c", "0", self, "--serve-webrtcbin", std::to_string(reference_port), ice->address}, true);
    if (read_line(reference.from) != "ready") {
      std::fprintf(stderr, "the webrtcbin reference did not start\n");
      return 1;
    }
  }
  std::string clients;
  if (o.janus) clients += "127.0.0.1:" + std::to_string(mount.video_port);
  if (o.webrtcbin) clients += std::string(clients.empty() ? "" : ",") + "127.0.0.1:" + std::to_string(reference_port);
  Child feed = spawn({"taskset", "-c", "1", "gst-launch-1.0", "-q", "videotestsrc", "is-live=true", "pattern=snow", "!",
                      "video/x-raw,width=640,height=360,framerate=30/1", "!", "x264enc", "tune=zerolatency", "speed-preset=ultrafast",
                      "bitrate=1000", "key-int-max=30", "!", "video/x-h264,profile=constrained-baseline", "!", "rtph264pay", "pt=96",
                      "mtu=1200", "config-interval=-1", "!", "multiudpsink", "clients=" + clients},
                     false);
  std::this_thread::sleep_for(2s);

  std::vector<std::int64_t> janus_viewers;
  std::vector<std::pair<std::string, int>> results;
  if (o.janus) {
    const std::string janus_name =
        "Janus 1.1.2 Streaming plugin, " +
        (o.janus_event_loops > 0 ? "event_loops = " + std::to_string(o.janus_event_loops) : std::string("a thread per viewer"));
    Server server{janus_name, janus->pid(), [&](CountingClient& c) {
                    auto offer = streaming->watch(mount.id);
                    if (!offer.ok()) return false;
                    auto answer = c.answer(offer->sdp);
                    if (!answer.ok() || !streaming->start(offer->viewer_id, answer->second).ok()) return false;
                    janus_viewers.push_back(offer->viewer_id);
                    return true;
                  }};
    results.emplace_back("janus", step_up(server, **client, feed.pid, o));
    for (auto id : janus_viewers) (void)streaming->hangup(id);
    (*client)->forget_all();
    std::this_thread::sleep_for(2s);
  }
  if (o.webrtcbin) {
    // The reference's pid is taskset's, which execs into it: the same process.
    Server server{"one webrtcbin per viewer behind a tee", reference.pid, [&](CountingClient& c) {
                    std::fprintf(reference.to, "add\n");
                    std::fflush(reference.to);
                    std::string line = read_line(reference.from);
                    if (line.rfind("offer ", 0) != 0) return false;
                    const auto space = line.find(' ', 6);
                    const std::string id = line.substr(6, space - 6);
                    std::string sdp;
                    for (char ch : line.substr(space + 1)) sdp += ch == '|' ? std::string("\r\n") : std::string(1, ch);
                    auto answer = c.answer(sdp);
                    if (!answer.ok()) return false;
                    std::string flat;
                    for (char ch : answer->second)
                      if (ch != '\r') flat += ch == '\n' ? '|' : ch;
                    std::fprintf(reference.to, "answer %s %s\n", id.c_str(), flat.c_str());
                    std::fflush(reference.to);
                    return read_line(reference.from).rfind("ok ", 0) == 0;
                  }};
    results.emplace_back("webrtcbin", step_up(server, **client, feed.pid, o));
    std::fprintf(reference.to, "quit\n");
    std::fflush(reference.to);
    waitpid(reference.pid, nullptr, 0);
  }
  kill(feed.pid, SIGTERM);
  waitpid(feed.pid, nullptr, 0);
  std::printf("summary: largest step without drops from a valid step:");
  for (const auto& [name, n] : results) std::printf(" %s %d;", name.c_str(), n);
  std::printf(" load at end %s\n", load_average().c_str());
  streaming.reset();
  janus.reset();
  client->reset();
  std::filesystem::remove_all(work);
  return 0;
}
