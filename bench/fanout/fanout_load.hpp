#pragma once
// The load itself: N WebSocket connections to one room held by one thread on epoll, probes sent
// at a fixed rate from the first S connections, every delivery timed. The tool must stay far
// from its own core's limit at 100,000 deliveries a second, so it does as little per frame as it
// can: one read() per readable socket, frames parsed in place, the probe found by a substring
// search, no JSON parsing once connected.
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fanout/latency_recorder.hpp"

namespace veil::bench::fanout {

struct LoadPlan {
  unsigned short port = 0;
  std::string path = "/";
  // One entry per connection: the first text frame it sends after the upgrade ("" to send
  // none), and whether it must then wait for a {"type":"welcome"} before it counts as in.
  std::vector<std::string> join_messages;
  bool wait_for_welcome = false;
  int senders = 1;                  // connections 0 … senders-1 post the probes, in turn
  bool senders_receive_own = true;  // Veil echoes a comment to its author; the ws example does not
  double rate = 100;                // probes per second, all senders together
  double warmup_seconds = 5, duration_seconds = 20, drain_seconds = 3;
  pid_t server_pid = 0;      // whose CPU time /proc/<pid>/stat reports
  int max_connecting = 200;  // handshakes in flight at once while connecting
};

struct LoadResult {
  int connections = 0, senders = 0;
  double rate = 0, duration_seconds = 0;
  double connect_seconds = 0;
  std::int64_t probes_sent = 0;           // sent inside the measured window
  std::int64_t probes_rejected = 0;       // answered with an error instead (rate limits)
  std::int64_t deliveries_in_window = 0;  // probe frames received inside the window
  std::int64_t expected_deliveries = 0;   // of the window's probes
  std::int64_t delivered = 0;             // of the window's probes, by the end of the drain
  double loss = 0;                        // 1 - delivered / expected
  LatencySummary latency;
  double server_cpu_seconds = 0, client_cpu_seconds = 0;  // inside the window
  double deliveries_per_second = 0, server_cpu_us_per_delivery = 0, client_cpu_us_per_delivery = 0;
  double client_cpu_share = 0;  // client CPU seconds / window seconds
  // Seconds the threads of each side were ready to run but their core was busy: with another
  // process (a busy machine) or with a thread of their own.
  double server_wait_seconds = 0, client_wait_seconds = 0;
  long server_rss_kib = 0;
  int closed_by_server = 0;
  std::int64_t other_frames = 0;               // presence, viewer counts
  std::map<std::string, std::int64_t> errors;  // error frames by code
};

// Throws std::runtime_error when the connections cannot be set up.
LoadResult run_load(const LoadPlan& plan);

// CPU seconds (user + system, all threads) of a process, from /proc/<pid>/stat; -1 if unreadable.
double process_cpu_seconds(pid_t pid);
// Seconds the process's threads were runnable but waited for a CPU (the second field of
// /proc/<pid>/task/*/schedstat, summed): how much other work on the same core held it back.
double process_wait_seconds(pid_t pid);

}  // namespace veil::bench::fanout
