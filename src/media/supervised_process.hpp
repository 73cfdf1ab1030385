#pragma once
// A child process veil serve keeps alive: Janus for WebRTC viewers today, nginx-rtmp for OBS
// tomorrow. It runs in its own process group with a minimal environment, writes stdout and stderr
// to a log file in its work directory, and is restarted with exponential backoff whenever it exits.
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/result.hpp"

namespace veil::media {

struct SupervisedProcessOptions {
  std::string name;               // for logs and the default log file name; no personal information
  std::vector<std::string> argv;  // argv[0] is the binary's absolute path (no PATH lookup)
  std::filesystem::path work_dir;  // the child's working directory; must exist
  std::string log_file_name;       // in work_dir; empty: "<name>.log"
  // Empty: PATH only, so the child never sees veil's own secrets.
  std::vector<std::string> environment;
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30'000};
  std::chrono::milliseconds healthy_after{10'000};  // a run this long resets the backoff
  std::chrono::milliseconds stop_timeout{5'000};    // SIGTERM, then SIGKILL after this
  // After every successful spawn, the first one included, on the supervisor's thread: owners
  // recreate the child's state here. It may block (the next exit is noticed once it returns), but
  // must not call stop() or destroy the SupervisedProcess.
  std::function<void()> on_started;
};

class SupervisedProcess {
 public:
  static constexpr std::string_view kSpawnFailed = "process_spawn_failed";

  // Spawns the child once; an error when it cannot be started at all (binary missing, not
  // executable, work directory missing). Exits after that are the supervisor's business.
  static Result<std::unique_ptr<SupervisedProcess>> create(SupervisedProcessOptions options);
  ~SupervisedProcess();  // stop()
  SupervisedProcess(const SupervisedProcess&) = delete;
  SupervisedProcess& operator=(const SupervisedProcess&) = delete;

  // SIGTERM to the process group, SIGKILL after stop_timeout, reaped; no restart afterwards.
  void stop();

  bool running() const;
  int restarts() const;  // spawns after the first
  pid_t pid() const;     // 0 while no child is alive
  std::filesystem::path log_path() const;

 private:
  explicit SupervisedProcess(SupervisedProcessOptions options);
  Result<pid_t> spawn();  // called with mutex_ held
  void supervise();       // the watcher thread
  void wait_for_exit(pid_t pid);

  const SupervisedProcessOptions options_;
  std::mutex stop_mutex_;     // one stop() at a time: only one may join the watcher
  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  pid_t pid_ = 0;
  int restarts_ = 0;
  bool stopping_ = false;
  bool first_spawn_done_ = false;
  Error first_spawn_error_;
  bool first_spawn_failed_ = false;
  std::thread watcher_;
};

}  // namespace veil::media
