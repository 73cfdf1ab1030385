// Glass-to-glass latency of a Veil room on this machine, over WebRTC (WHEP through Janus) and over
// HLS — docs/benchmarks.md, "Glass-to-glass latency".
//
// Method. Everything runs in this one process except Janus, so every time is one CLOCK_MONOTONIC:
// - A publisher (stamped_publisher.hpp) draws a 16-bit frame counter as big black and white blocks
//   into each 640x360 30 fps frame as its source produces it, notes that moment (the "capture"),
//   encodes H.264 and sends it by WebRTC into Veil's own RoomPipeline — add_publisher, the WHIP
//   path: webrtcbin, depayload, decode, compose, x264 once — which writes HLS (hlssink2, 1 s
//   segments) and sends RTP to a Janus Streaming mountpoint opened by Veil's JanusGateway (the
//   Debian Janus 1.1.2 that `veil serve` runs, with its generated configuration).
// - WHEP: a webrtcbin viewer answers Janus's offer (the server-offer exchange Veil's player uses),
//   on this machine's non-loopback address (Janus 1.1.2 gathers no loopback candidates), decodes
//   the H.264 and reads the counter from every decoded frame: latency = decode time − capture.
// - HLS: a player (hls_player.hpp: hls.js's playlist reload rule; it starts 2 segments behind the
//   live edge as Veil's player configures hls.js, --hls-sync to change) reads the playlist and
//   segments from the room's folder and decodes each new segment at once; `edge` = decode time −
//   capture, `played` = when a real-time player starting where hls.js starts shows the frame −
//   capture.
// Each run is a fresh room, publisher, mountpoint and viewer: 6 s of warm-up (HLS needs its
// segments before it starts) not counted, then --seconds measured. Each frame counts once, the
// first time its counter is read. Per run: median, p95 and max; then the medians of the runs.
// Nothing is pinned: the publisher, the room, Janus and the viewer share the machine's two cores,
// as they would on a one-machine deployment with a viewer on it. The load average is printed with
// each run: on a busy machine every figure includes waiting for a core.
#include <getopt.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "capture_log.hpp"
#include "hls_player.hpp"
#include "http/curl_http_client.hpp"
#include "media/janus_gateway.hpp"
#include "media/janus_server.hpp"
#include "media/room_pipeline.hpp"
#include "stamped_publisher.hpp"
#include "stamped_viewer.hpp"

namespace vm = veil::media;
using namespace veil::bench::media;

namespace {

struct Options {
  int runs = 5;
  int seconds = 20;
  int warmup_seconds = 6;
  unsigned jitter_ms = 20;
  int hls_sync_count = 2;  // Veil's LivePlayer.tsx: hls.js liveSyncDurationCount 2
  bool whep = true, hls = true;
};

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

struct Figures {
  double median = 0, p95 = 0, max = 0;
  std::size_t frames = 0;
};

Figures figures(std::vector<double> v) {
  Figures f;
  f.frames = v.size();
  f.median = quantile(v, 0.5);
  f.p95 = quantile(v, 0.95);
  f.max = quantile(v, 1.0);
  return f;
}

[[noreturn]] void fail(const std::string& what, const veil::Error& e) {
  std::fprintf(stderr, "glass_to_glass: %s: %s %s\n", what.c_str(), e.reason.c_str(), e.detail.c_str());
  std::exit(1);
}

struct RunResult {
  Figures whep, edge, played;
  int whep_decoded = 0, whep_unreadable = 0, hls_unreadable = 0, rebuffers = 0, segments = 0;
  std::string load;
};

RunResult run_once(int index, const Options& o, vm::JanusGateway& gateway, const vm::IceInterface& ice,
                   const std::filesystem::path& work) {
  RunResult result;
  result.load = load_average();
  auto log = std::make_unique<CaptureLog>();
  LatencySamples whep, edge, played;
  const std::string key = "glass" + std::to_string(index);

  vm::RoomOutputOptions output;
  output.hls_dir = work / key;
  if (o.whep) {
    auto mount = gateway.open_mountpoint(key);
    if (!mount.ok()) fail("open_mountpoint", mount.error());
    output.rtp_video_port = mount->video_port;
    output.rtp_audio_port = mount->audio_port;
  }
  auto room = vm::RoomPipeline::create(key, output);
  if (!room.ok()) fail("RoomPipeline::create", room.error());

  auto publisher = StampedPublisher::create(*log);
  if (!publisher.ok()) fail("publisher", publisher.error());
  auto offer = (*publisher)->offer();
  if (!offer.ok()) fail("publisher offer", offer.error());
  auto answer = (*room)->add_publisher("host", *offer, "H264", nullptr);
  if (!answer.ok()) fail("add_publisher", answer.error());
  if (auto accepted = (*publisher)->accept_answer(*answer); !accepted.ok()) fail("publisher answer", accepted.error());

  std::unique_ptr<StampedViewer> viewer;
  std::int64_t viewer_id = 0;
  if (o.whep) {
    auto made = StampedViewer::create(*log, whep, ice.address, o.jitter_ms);
    if (!made.ok()) fail("viewer", made.error());
    viewer = std::move(made).value();
    auto janus_offer = gateway.watch(key);
    if (!janus_offer.ok()) fail("watch", janus_offer.error());
    auto viewer_answer = viewer->answer(janus_offer->sdp);
    if (!viewer_answer.ok()) fail("viewer answer", viewer_answer.error());
    if (auto started = gateway.start(janus_offer->viewer_id, *viewer_answer); !started.ok()) fail("start", started.error());
    viewer_id = janus_offer->viewer_id;
  }
  std::unique_ptr<HlsPlayer> player;
  if (o.hls) player = std::make_unique<HlsPlayer>(output.hls_dir, o.hls_sync_count, *log, edge, played);

  std::this_thread::sleep_for(std::chrono::seconds(o.warmup_seconds));
  whep.take(), edge.take(), played.take();
  std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
  result.whep = figures(whep.take());
  result.edge = figures(edge.take());
  result.played = figures(played.take());
  if (viewer && viewer->frames() == 0) std::fprintf(stderr, "glass_to_glass: the WebRTC viewer decoded nothing: %s\n", viewer->state().c_str());
  if (viewer) result.whep_unreadable = viewer->unreadable(), result.whep_decoded = viewer->frames();
  if (player) {
    result.hls_unreadable = player->unreadable();
    result.rebuffers = player->rebuffers();
    result.segments = player->segments();
  }

  player.reset();
  if (viewer_id != 0) (void)gateway.hangup(viewer_id);
  viewer.reset();
  (*room).reset();
  (*publisher).reset();
  if (o.whep) gateway.close_mountpoint(key);
  std::filesystem::remove_all(output.hls_dir);
  return result;
}

void usage() {
  std::fprintf(stderr,
               "usage: veil_glass_bench [--runs N] [--seconds S] [--warmup S] [--jitter-ms MS] [--only whep|hls] [--hls-sync N]\n"
               "  --hls-sync: segments behind the live edge the HLS player starts (default 2, as Veil's player)\n"
               "  --jitter-ms: the WebRTC viewer's jitter buffer (webrtcbin latency; default 20)\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  const option long_options[] = {{"runs", required_argument, nullptr, 'r'},    {"seconds", required_argument, nullptr, 's'},
                                 {"warmup", required_argument, nullptr, 'w'},  {"jitter-ms", required_argument, nullptr, 'j'},
                                 {"only", required_argument, nullptr, 'o'},    {"hls-sync", required_argument, nullptr, 'h'},    {nullptr, 0, nullptr, 0}};
  for (int c; (c = getopt_long(argc, argv, "", long_options, nullptr)) != -1;) {
    switch (c) {
      case 'r': o.runs = std::atoi(optarg); break;
      case 's': o.seconds = std::atoi(optarg); break;
      case 'w': o.warmup_seconds = std::atoi(optarg); break;
      case 'j': o.jitter_ms = static_cast<unsigned>(std::atoi(optarg)); break;
      case 'h': o.hls_sync_count = std::atoi(optarg); break;
      case 'o':
        o.whep = std::string(optarg) == "whep";
        o.hls = std::string(optarg) == "hls";
        break;
      default: usage(); return 2;
    }
  }
  if (auto ready = vm::ensure_gstreamer(); !ready.ok()) fail("gstreamer", ready.error());
  auto ice = vm::default_ice_interface();
  if (!ice.ok()) fail("ICE interface", ice.error());
  char dir_template[] = "/tmp/veil-glass.XXXXXX";
  const std::filesystem::path work = mkdtemp(dir_template);
  veil::http::CurlHttpClient http;
  auto gateway = std::make_unique<vm::JanusGateway>(http, work / "janus");

  std::printf("glass-to-glass: %d runs x %d s (after %d s warm-up), viewer jitter buffer %u ms, load at start %s\n", o.runs, o.seconds,
              o.warmup_seconds, o.jitter_ms, load_average().c_str());
  std::printf("%-4s %-16s | %-34s | %-34s | %-24s\n", "run", "load (1/5/15)", "WHEP ms: frames median p95 max", "HLS edge ms: frames median p95 max",
              "HLS played ms: median p95");
  std::vector<double> whep_medians, whep_p95s, edge_medians, edge_p95s, played_medians, played_p95s;
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < o.runs; ++i) {
    RunResult r = run_once(i, o, *gateway, *ice, work);
    std::printf("%-4d %-16s | %6zu %8.1f %8.1f %8.1f | %6zu %8.1f %8.1f %8.1f | %8.1f %8.1f  (WHEP decoded %d, unreadable %d/%d, waits %d, segments %d)\n",
                i + 1, r.load.c_str(), r.whep.frames, r.whep.median, r.whep.p95, r.whep.max, r.edge.frames, r.edge.median, r.edge.p95,
                r.edge.max, r.played.median, r.played.p95, r.whep_decoded, r.whep_unreadable, r.hls_unreadable, r.rebuffers, r.segments);
    std::fflush(stdout);
    if (o.whep) whep_medians.push_back(r.whep.median), whep_p95s.push_back(r.whep.p95);
    if (o.hls) {
      edge_medians.push_back(r.edge.median), edge_p95s.push_back(r.edge.p95);
      played_medians.push_back(r.played.median), played_p95s.push_back(r.played.p95);
    }
  }
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto cpu = [](const rusage& u) {
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  std::printf("summary (medians of the %d runs): WHEP median %.1f ms, p95 %.1f ms (goal < 200 ms); HLS edge median %.1f ms, p95 %.1f ms; "
              "HLS played median %.1f ms, p95 %.1f ms (goal < 3000 ms)\n",
              o.runs, quantile(whep_medians, 0.5), quantile(whep_p95s, 0.5), quantile(edge_medians, 0.5), quantile(edge_p95s, 0.5),
              quantile(played_medians, 0.5), quantile(played_p95s, 0.5));
  std::printf("this process (publisher, room pipeline, viewer, player) used %.0f %% of one core over %.0f s; load at end %s\n",
              100 * (cpu(after) - cpu(before)) / wall, wall, load_average().c_str());
  gateway.reset();
  std::filesystem::remove_all(work);
  return 0;
}
