// veil_fanout_bench: the room fan-out load (docs/benchmarks.md, "Room fan-out"). N WebSocket
// connections in one room on loopback, M probe comments a second from S signed-in senders, each
// carrying its send time; prints deliveries/s, latency percentiles, loss and the CPU seconds the
// server (/proc/<pid>/stat) and this tool (getrusage) spent in the measured window. A run in which
// this tool used ≥ --max-client-cpu of its core is declared INVALID: its figures describe the
// client, not the server.
//
//   veil_fanout_bench --target veil --port 8080 --server-pid 1234 --viewers 5000 --rate 20
//   veil_fanout_bench --target ws   --port 9090 --server-pid 4321 --viewers 5000 --rate 20
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "fanout/fanout_load.hpp"
#include "fanout/veil_room_setup.hpp"

using namespace veil::bench::fanout;

namespace {

nlohmann::json to_json(const LoadResult& r) {
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [code, count] : r.errors) errors[code] = count;
  return {{"connections", r.connections},
          {"senders", r.senders},
          {"rate", r.rate},
          {"duration_seconds", r.duration_seconds},
          {"connect_seconds", r.connect_seconds},
          {"probes_sent", r.probes_sent},
          {"probes_rejected", r.probes_rejected},
          {"deliveries_in_window", r.deliveries_in_window},
          {"deliveries_per_second", r.deliveries_per_second},
          {"expected_deliveries", r.expected_deliveries},
          {"delivered", r.delivered},
          {"loss", r.loss},
          {"latency_ms",
           {{"count", r.latency.count},
            {"mean", r.latency.mean_ms},
            {"p50", r.latency.p50_ms},
            {"p90", r.latency.p90_ms},
            {"p99", r.latency.p99_ms},
            {"p999", r.latency.p999_ms},
            {"max", r.latency.max_ms}}},
          {"server_cpu_seconds", r.server_cpu_seconds},
          {"server_cpu_us_per_delivery", r.server_cpu_us_per_delivery},
          {"server_cpu_share", r.server_cpu_seconds / r.duration_seconds},
          {"server_rss_kib", r.server_rss_kib},
          {"server_wait_seconds", r.server_wait_seconds},
          {"client_cpu_seconds", r.client_cpu_seconds},
          {"client_wait_seconds", r.client_wait_seconds},
          {"client_cpu_us_per_delivery", r.client_cpu_us_per_delivery},
          {"client_cpu_share", r.client_cpu_share},
          {"closed_by_server", r.closed_by_server},
          {"other_frames", r.other_frames},
          {"errors", errors}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Room fan-out load: N WebSocket viewers, M timestamped messages a second"};
  std::string target = "veil", json_out, label;
  int port = 0, server_pid = 0, viewers = 1000, senders = 0, max_connecting = 200;
  double rate = 100, warmup = 5, duration = 20, drain = 3, max_client_cpu = 0.9, per_sender = 0.4;
  app.add_option("--target", target,
                 "veil (the room channel, set up through the API) or ws (the reference)")
      ->check(CLI::IsMember({"veil", "ws"}));
  app.add_option("--port", port, "the server's loopback port")->required();
  app.add_option("--server-pid", server_pid,
                 "the server's process id (its CPU time is read from /proc)")
      ->required();
  app.add_option("--viewers", viewers, "WebSocket connections in the room, senders included");
  app.add_option("--rate", rate, "messages per second, all senders together");
  app.add_option("--senders", senders, "connections that post; default: rate / --per-sender");
  app.add_option(
      "--per-sender", per_sender,
      "messages per second one sender posts when --senders is not given (Veil allows 5 per 10 s)");
  app.add_option("--warmup", warmup, "seconds of load before the measured window");
  app.add_option("--duration", duration, "seconds measured");
  app.add_option("--drain", drain, "seconds to wait for late deliveries after the last message");
  app.add_option("--max-client-cpu", max_client_cpu,
                 "client CPU share of its core above which the run is invalid");
  app.add_option("--max-connecting", max_connecting, "handshakes in flight at once");
  app.add_option("--json", json_out, "write the result as JSON to this file");
  app.add_option("--label", label, "a name for the run in the output");
  CLI11_PARSE(app, argc, argv);
  if (senders <= 0) senders = static_cast<int>(std::ceil(rate / per_sender));
  if (senders > viewers) {
    std::cerr << "veil_fanout_bench: " << senders << " senders do not fit in " << viewers
              << " viewers\n";
    return 1;
  }
  if (label.empty()) label = target;

  LoadPlan plan;
  plan.port = static_cast<unsigned short>(port);
  plan.server_pid = server_pid;
  plan.senders = senders;
  plan.rate = rate;
  plan.warmup_seconds = warmup;
  plan.duration_seconds = duration;
  plan.drain_seconds = drain;
  plan.max_connecting = max_connecting;
  LoadResult result;
  try {
    if (target == "veil") {
      std::fprintf(stderr, "[%s] setting up: %d signed-in senders, %d anonymous viewers\n",
                   label.c_str(), senders, viewers - senders);
      VeilRoom room = prepare_veil_room(plan.port, senders, viewers - senders);
      plan.path = "/api/v1/rooms/" + room.room_id + "/channel";
      // Senders join first, so the room's presence (their cards) is in place when viewers arrive.
      for (const auto& session : room.sender_sessions)
        plan.join_messages.push_back(nlohmann::json{{"type", "join"}, {"session", session}}.dump());
      for (const auto& ticket : room.viewer_tickets)
        plan.join_messages.push_back(nlohmann::json{{"type", "join"}, {"ticket", ticket}}.dump());
      plan.wait_for_welcome = true;
      plan.senders_receive_own = true;
    } else {
      plan.path = "/";
      plan.join_messages.assign(static_cast<std::size_t>(viewers), "");
      plan.senders_receive_own = false;  // the README's broadcast skips the sender
    }
    std::fprintf(
        stderr,
        "[%s] connecting %d WebSockets, then %.0f s warm-up and %.0f s measured at %.1f msg/s\n",
        label.c_str(), viewers, warmup, duration, rate);
    result = run_load(plan);
  } catch (const std::exception& e) {
    std::cerr << "veil_fanout_bench: " << e.what() << "\n";
    return 1;
  }

  const bool saturated = result.client_cpu_share >= max_client_cpu;
  nlohmann::json out = to_json(result);
  out["target"] = target;
  out["label"] = label;
  out["valid"] = !saturated;
  out["max_client_cpu"] = max_client_cpu;
  const auto& l = result.latency;
  std::printf("[%s] %d viewers, %d senders, %.1f msg/s for %.1f s (connected in %.1f s)\n",
              label.c_str(), result.connections, result.senders, result.rate,
              result.duration_seconds, result.connect_seconds);
  std::printf(
      "[%s]   deliveries/s %.0f; latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f (%zu "
      "samples)\n",
      label.c_str(), result.deliveries_per_second, l.p50_ms, l.p90_ms, l.p99_ms, l.p999_ms,
      l.max_ms, l.count);
  std::printf(
      "[%s]   loss %.4f%% (%lld of %lld delivered; %lld sent, %lld rejected); closed by server "
      "%d\n",
      label.c_str(), 100 * result.loss, static_cast<long long>(result.delivered),
      static_cast<long long>(result.expected_deliveries),
      static_cast<long long>(result.probes_sent), static_cast<long long>(result.probes_rejected),
      result.closed_by_server);
  std::printf(
      "[%s]   server CPU %.2f s (%.0f %% of a core) = %.3f µs/delivery, RSS %ld MiB;\n[%s]   "
      "client CPU %.2f s (%.0f %%) = %.3f µs/delivery\n",
      label.c_str(), result.server_cpu_seconds,
      100 * result.server_cpu_seconds / result.duration_seconds, result.server_cpu_us_per_delivery,
      result.server_rss_kib / 1024, label.c_str(), result.client_cpu_seconds,
      100 * result.client_cpu_share, result.client_cpu_us_per_delivery);
  std::printf(
      "[%s]   runnable but waiting for the core (other processes or own threads): server %.2f s, "
      "client %.2f s\n",
      label.c_str(), result.server_wait_seconds, result.client_wait_seconds);
  for (const auto& [code, count] : result.errors)
    std::printf("[%s]   error frames %s: %lld\n", label.c_str(), code.c_str(),
                static_cast<long long>(count));
  if (saturated)
    std::printf(
        "[%s]   INVALID: the client used %.0f %% of its core (limit %.0f %%): it, not the server, "
        "may be the bottleneck\n",
        label.c_str(), 100 * result.client_cpu_share, 100 * max_client_cpu);
  if (!json_out.empty()) std::ofstream(json_out) << out.dump(2) << "\n";
  return 0;
}
