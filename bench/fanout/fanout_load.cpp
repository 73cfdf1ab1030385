#include "fanout/fanout_load.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "fanout/frame_reader.hpp"
#include "fanout/probe.hpp"

namespace veil::bench::fanout {

namespace {

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double own_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

constexpr std::string_view kWelcome = "\"type\":\"welcome\"";
constexpr std::string_view kError = "\"type\":\"error\"";

enum class Phase { Connecting, Upgrading, Joining, Ready, Closed };

struct Connection {
  int fd = -1;
  Phase phase = Phase::Connecting;
  std::string head;    // the upgrade answer until its blank line
  std::string unsent;  // bytes the socket did not take yet
  FrameReader reader;
};

class Load {
 public:
  explicit Load(const LoadPlan& plan) : plan_(plan), connections_(plan.join_messages.size()) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    const std::int64_t expected = static_cast<std::int64_t>(
        plan.rate * plan.duration_seconds * static_cast<double>(connections_.size()));
    latencies_ =
        LatencyRecorder(static_cast<std::size_t>(std::max<std::int64_t>(expected, 0) + 1024));
    upgrade_ = "GET " + plan.path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(plan.port) +
               "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
               "dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n";
  }
  ~Load() {
    for (auto& c : connections_)
      if (c.fd >= 0) ::close(c.fd);
    ::close(epoll_);
  }
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;

  LoadResult run();

 private:
  void connect_all();
  void open(std::size_t index);
  void pump(std::int64_t until, bool sending);
  void on_event(std::size_t index, std::uint32_t events);
  void on_readable(std::size_t index);
  void on_message(std::size_t index, Opcode opcode, std::string_view payload,
                  std::int64_t received_at);
  void write(std::size_t index, std::string bytes);
  void flush(std::size_t index);
  void send_probe(std::int64_t at);
  void drop(std::size_t index, bool by_server);

  const LoadPlan& plan_;
  std::vector<Connection> connections_;
  int epoll_ = -1;
  std::string upgrade_;
  std::size_t in_progress_ = 0, ready_ = 0, failed_ = 0;
  std::string first_failure_;

  // The measured window [window_start_, window_end_): probes sent inside it are timed.
  std::int64_t window_start_ = 0, window_end_ = 0;
  bool measuring_ = false;
  std::int64_t next_send_ = 0, sent_total_ = 0;
  std::uint32_t mask_state_ = 0x9E3779B9u;
  LatencyRecorder latencies_;
  LoadResult result_;
  char scratch_[64 * 1024];
};

void Load::open(std::size_t index) {
  Connection& c = connections_[index];
  c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c.fd < 0)
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno) + " (ulimit -n?)");
  int one = 1;
  ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(plan_.port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(c.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 &&
      errno != EINPROGRESS)
    throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  epoll_event event{};
  event.events = EPOLLOUT | EPOLLIN;
  event.data.u64 = index;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &event);
  c.phase = Phase::Connecting;
  ++in_progress_;
}

void Load::drop(std::size_t index, bool by_server) {
  Connection& c = connections_[index];
  if (c.phase == Phase::Closed) return;
  if (c.phase == Phase::Ready) {
    --ready_;
    if (by_server) ++result_.closed_by_server;
  } else {
    --in_progress_;
    ++failed_;
  }
  c.phase = Phase::Closed;
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  c.fd = -1;
}

void Load::write(std::size_t index, std::string bytes) {
  Connection& c = connections_[index];
  if (c.phase == Phase::Closed) return;
  if (!c.unsent.empty()) {
    c.unsent += bytes;
    return;
  }
  ssize_t sent = ::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return drop(index, true);
  std::size_t done = sent < 0 ? 0 : static_cast<std::size_t>(sent);
  if (done == bytes.size()) return;
  c.unsent = bytes.substr(done);
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT;
  event.data.u64 = index;
  ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &event);
}

void Load::flush(std::size_t index) {
  Connection& c = connections_[index];
  ssize_t sent = ::send(c.fd, c.unsent.data(), c.unsent.size(), MSG_NOSIGNAL);
  if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return drop(index, true);
  if (sent > 0) c.unsent.erase(0, static_cast<std::size_t>(sent));
  if (!c.unsent.empty()) return;
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = index;
  ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &event);
}

void Load::on_event(std::size_t index, std::uint32_t events) {
  Connection& c = connections_[index];
  if (c.phase == Phase::Closed) return;
  if (c.phase == Phase::Connecting) {
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    int error = 0;
    socklen_t size = sizeof error;
    ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) {
      if (first_failure_.empty()) first_failure_ = std::string("connect: ") + std::strerror(error);
      return drop(index, false);
    }
    c.phase = Phase::Upgrading;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = index;
    ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &event);
    return write(index, upgrade_);
  }
  if ((events & EPOLLOUT) && !c.unsent.empty()) flush(index);
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(index);
}

void Load::on_readable(std::size_t index) {
  Connection& c = connections_[index];
  if (c.phase == Phase::Closed) return;
  ssize_t got = ::read(c.fd, scratch_, sizeof scratch_);
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  if (got <= 0) {
    if (c.phase != Phase::Ready && first_failure_.empty())
      first_failure_ = "the server closed a connection while joining";
    return drop(index, true);
  }
  const std::int64_t received_at = now_ns();
  std::string_view bytes(scratch_, static_cast<std::size_t>(got));
  if (c.phase == Phase::Upgrading) {
    c.head.append(bytes);
    auto end = c.head.find("\r\n\r\n");
    if (end == std::string::npos) return;
    if (c.head.rfind("HTTP/1.1 101", 0) != 0) {
      if (first_failure_.empty())
        first_failure_ = "upgrade refused: " + c.head.substr(0, c.head.find("\r\n"));
      return drop(index, false);
    }
    std::string rest = c.head.substr(end + 4);
    c.head.clear();
    c.head.shrink_to_fit();
    const std::string& join = plan_.join_messages[index];
    if (!join.empty())
      write(index, encode_client_frame(Opcode::Text, join,
                                       mask_state_ = mask_state_ * 1664525u + 1013904223u));
    if (plan_.wait_for_welcome) {
      c.phase = Phase::Joining;
    } else {
      c.phase = Phase::Ready;
      --in_progress_;
      ++ready_;
    }
    if (rest.empty()) return;
    bool ok = c.reader.feed(rest, [&](Opcode op, std::string_view payload) {
      on_message(index, op, payload, received_at);
    });
    if (!ok) drop(index, false);
    return;
  }
  bool ok = c.reader.feed(bytes, [&](Opcode op, std::string_view payload) {
    on_message(index, op, payload, received_at);
  });
  if (!ok) {
    if (first_failure_.empty()) first_failure_ = "a malformed WebSocket frame";
    drop(index, false);
  }
}

void Load::on_message(std::size_t index, Opcode opcode, std::string_view payload,
                      std::int64_t received_at) {
  Connection& c = connections_[index];
  if (c.phase == Phase::Closed) return;
  if (opcode == Opcode::Close) return drop(index, true);
  if (opcode == Opcode::Ping) {
    write(index, encode_client_frame(Opcode::Pong, payload,
                                     mask_state_ = mask_state_ * 1664525u + 1013904223u));
    return;
  }
  if (opcode != Opcode::Text && opcode != Opcode::Binary) return;
  if (c.phase == Phase::Joining) {
    if (payload.find(kWelcome) != std::string_view::npos) {
      c.phase = Phase::Ready;
      --in_progress_;
      ++ready_;
    } else if (payload.find(kError) != std::string_view::npos) {
      if (first_failure_.empty()) first_failure_ = "join refused: " + std::string(payload);
      drop(index, false);
    }
    return;
  }
  if (auto probe = find_probe(payload)) {
    if (measuring_ && received_at >= window_start_ && received_at < window_end_)
      ++result_.deliveries_in_window;
    if (probe->sent_ns >= window_start_ && probe->sent_ns < window_end_ && window_end_ > 0) {
      ++result_.delivered;
      latencies_.record_ns(received_at - probe->sent_ns);
    }
    return;
  }
  if (payload.find(kError) != std::string_view::npos) {
    std::string code = error_code_of(payload);
    ++result_.errors[code.empty() ? "unknown" : code];
    if (code == "message_rate_limited" && measuring_) ++result_.probes_rejected;
    return;
  }
  ++result_.other_frames;
}

void Load::send_probe(std::int64_t at) {
  const int sender = static_cast<int>(sent_total_ % plan_.senders);
  ++sent_total_;
  Connection& c = connections_[static_cast<std::size_t>(sender)];
  if (c.phase != Phase::Ready) return;
  Probe probe{at, sender, sent_total_};
  if (at >= window_start_ && at < window_end_) ++result_.probes_sent;
  write(static_cast<std::size_t>(sender),
        encode_client_frame(Opcode::Text, probe_message(probe),
                            mask_state_ = mask_state_ * 1664525u + 1013904223u));
}

void Load::pump(std::int64_t until, bool sending) {
  const auto interval = static_cast<std::int64_t>(1e9 / plan_.rate);
  epoll_event events[1024];
  for (;;) {
    std::int64_t now = now_ns();
    if (sending) {
      while (next_send_ <= now && next_send_ < until) {
        send_probe(now);
        next_send_ += interval;
      }
    }
    if (now >= until) return;
    std::int64_t wake = sending ? std::min(until, next_send_) : until;
    // epoll_wait counts milliseconds: round up, so the loop never spins before a send is due.
    int timeout = static_cast<int>(std::max<std::int64_t>(0, (wake - now + 999'999) / 1'000'000));
    int n = ::epoll_wait(epoll_, events, 1024, timeout);
    if (n < 0 && errno != EINTR)
      throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
    for (int i = 0; i < n; ++i)
      on_event(static_cast<std::size_t>(events[i].data.u64), events[i].events);
  }
}

void Load::connect_all() {
  const std::int64_t started = now_ns();
  const std::int64_t deadline = started + 300'000'000'000LL;
  std::size_t next = 0;
  while (ready_ + failed_ < connections_.size()) {
    while (in_progress_ < static_cast<std::size_t>(plan_.max_connecting) &&
           next < connections_.size())
      open(next++);
    pump(std::min(deadline, now_ns() + 20'000'000), false);
    if (failed_ > 0) throw std::runtime_error("a connection failed: " + first_failure_);
    if (now_ns() > deadline) throw std::runtime_error("connections not ready after 300 s");
  }
  result_.connect_seconds = static_cast<double>(now_ns() - started) / 1e9;
}

LoadResult Load::run() {
  result_.connections = static_cast<int>(connections_.size());
  result_.senders = plan_.senders;
  result_.rate = plan_.rate;
  connect_all();
  // Let the joins settle (presence, viewer counts) before any probe.
  pump(now_ns() + 2'000'000'000LL, false);

  const std::int64_t start = now_ns();
  next_send_ = start;
  window_start_ = start + static_cast<std::int64_t>(plan_.warmup_seconds * 1e9);
  window_end_ = window_start_ + static_cast<std::int64_t>(plan_.duration_seconds * 1e9);
  pump(window_start_, true);

  measuring_ = true;
  const double server_before = process_cpu_seconds(plan_.server_pid);
  const double client_before = own_cpu_seconds();
  const double server_wait_before = process_wait_seconds(plan_.server_pid);
  const double client_wait_before = process_wait_seconds(::getpid());
  const std::int64_t measured_from = now_ns();
  pump(window_end_, true);
  const std::int64_t measured_to = now_ns();
  const double server_after = process_cpu_seconds(plan_.server_pid);
  const double client_after = own_cpu_seconds();
  result_.server_wait_seconds = process_wait_seconds(plan_.server_pid) - server_wait_before;
  result_.client_wait_seconds = process_wait_seconds(::getpid()) - client_wait_before;
  result_.server_rss_kib = rss_kib(plan_.server_pid);

  // No more probes; what is still on its way counts as delivered, late, until the drain ends.
  pump(measured_to + static_cast<std::int64_t>(plan_.drain_seconds * 1e9), false);
  measuring_ = false;

  const double seconds = static_cast<double>(measured_to - measured_from) / 1e9;
  result_.duration_seconds = seconds;
  result_.server_cpu_seconds = server_after - server_before;
  result_.client_cpu_seconds = client_after - client_before;
  const std::int64_t receivers =
      static_cast<std::int64_t>(connections_.size()) - (plan_.senders_receive_own ? 0 : 1);
  result_.expected_deliveries = (result_.probes_sent - result_.probes_rejected) * receivers;
  result_.loss = result_.expected_deliveries > 0
                     ? 1.0 - static_cast<double>(result_.delivered) /
                                 static_cast<double>(result_.expected_deliveries)
                     : 0.0;
  result_.latency = latencies_.summarize();
  result_.deliveries_per_second = static_cast<double>(result_.deliveries_in_window) / seconds;
  if (result_.deliveries_in_window > 0) {
    const auto per_delivery = [&](double cpu) {
      return cpu * 1e6 / static_cast<double>(result_.deliveries_in_window);
    };
    result_.server_cpu_us_per_delivery = per_delivery(result_.server_cpu_seconds);
    result_.client_cpu_us_per_delivery = per_delivery(result_.client_cpu_seconds);
  }
  result_.client_cpu_share = result_.client_cpu_seconds / seconds;
  return result_;
}

}  // namespace

double process_cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return -1;
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  auto close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 0; fields >> field; ++i) {  // i = 0 is field 3 (state)
    if (i == 11) utime = std::stoll(field);
    if (i == 12) {
      stime = std::stoll(field);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double process_wait_seconds(pid_t pid) {
  namespace fs = std::filesystem;
  std::error_code ec;
  double total = 0;
  for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream schedstat(task.path() / "schedstat");
    long long on_cpu = 0, waiting = 0;
    if (schedstat >> on_cpu >> waiting) total += static_cast<double>(waiting) / 1e9;
  }
  return total;
}

LoadResult run_load(const LoadPlan& plan) {
  if (plan.join_messages.empty()) throw std::runtime_error("no connections");
  if (plan.senders < 1 || static_cast<std::size_t>(plan.senders) > plan.join_messages.size())
    throw std::runtime_error("senders must be between 1 and the number of connections");
  if (plan.rate <= 0) throw std::runtime_error("rate must be positive");
  auto load = std::make_unique<Load>(plan);
  return load->run();
}

}  // namespace veil::bench::fanout
