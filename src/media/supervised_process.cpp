#include "media/supervised_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace veil::media {

namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(int error) { return std::system_category().message(error); }

// RAII for the descriptors spawn() opens; closed in the parent once the child has its copies.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal SIG") + ::sigabbrev_np(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// Tells the parent why the child could not exec, through the close-on-exec pipe.
[[noreturn]] void fail_in_child(int error_fd) {
  int error = errno;
  [[maybe_unused]] auto written = ::write(error_fd, &error, sizeof error);
  ::_exit(127);
}

// Everything below runs in the forked child of a multi-threaded parent: only async-signal-safe
// calls until execve, and no return.
[[noreturn]] void exec_child(pid_t parent, char* const* argv, char* const* envp,
                             const char* work_dir, int stdin_fd, int log_fd, int error_fd) {
  auto fail = [error_fd] { fail_in_child(error_fd); };
  // Its own process group, so stop() reaches anything the child forks with one kill(-pgid).
  if (::setpgid(0, 0) != 0) fail();
  // Never outlive veil: if the supervising thread dies (veil crashed), the child is told to stop.
  // The parent may already have died between fork and prctl, hence the getppid check.
  if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || ::getppid() != parent) fail();
  // A thread's blocked signals and ignored dispositions survive execve; the child starts clean.
  sigset_t none;
  ::sigemptyset(&none);
  // The child has one thread, and sigprocmask is async-signal-safe where pthread_sigmask is not.
  ::sigprocmask(SIG_SETMASK, &none, nullptr);  // NOLINT(concurrency-mt-unsafe)
  struct sigaction defaults {};
  defaults.sa_handler = SIG_DFL;
  for (int signal_number = 1; signal_number < NSIG; ++signal_number)
    ::sigaction(signal_number, &defaults, nullptr);
  if (::dup2(stdin_fd, STDIN_FILENO) < 0 || ::dup2(log_fd, STDOUT_FILENO) < 0 ||
      ::dup2(log_fd, STDERR_FILENO) < 0)
    fail();
  // dup2 onto the same number keeps O_CLOEXEC (a veil started with fd 0 closed opens /dev/null as
  // 0).
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) ::fcntl(fd, F_SETFD, 0);
  if (::chdir(work_dir) != 0) fail();
  // veil's sockets and database files must not leak into the child; most are O_CLOEXEC already,
  // libraries' are not always. CLOEXEC (not close) keeps error_fd usable until execve.
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    rlimit limit{};
    const rlim_t highest =
        ::getrlimit(RLIMIT_NOFILE, &limit) == 0 ? std::min<rlim_t>(limit.rlim_cur, 65536) : 1024;
    for (rlim_t fd = 3; fd < highest; ++fd) ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
  }
  ::execve(argv[0], argv, envp);
  fail_in_child(error_fd);
}

}  // namespace

SupervisedProcess::SupervisedProcess(SupervisedProcessOptions options)
    : options_(std::move(options)) {}

Result<std::unique_ptr<SupervisedProcess>> SupervisedProcess::create(
    SupervisedProcessOptions options) {
  if (options.argv.empty() || options.argv.front().empty() || options.argv.front().front() != '/')
    return Error::invalid("process_argv_invalid", "argv[0] must be an absolute path");
  if (options.name.empty()) return Error::invalid("process_name_missing");
  if (options.initial_backoff.count() <= 0 || options.max_backoff < options.initial_backoff)
    return Error::invalid("process_backoff_invalid");
  std::error_code ec;
  if (!std::filesystem::is_directory(options.work_dir, ec))
    return Error{ErrorCode::Unavailable, std::string(kSpawnFailed),
                 "work directory missing: " + options.work_dir.string()};

  std::unique_ptr<SupervisedProcess> process(new SupervisedProcess(std::move(options)));
  // Every spawn happens on the watcher thread: PR_SET_PDEATHSIG fires when the *thread* that
  // forked exits, and the watcher lives exactly as long as the supervision.
  process->watcher_ = std::thread([raw = process.get()] { raw->supervise(); });
  std::unique_lock lock(process->mutex_);
  process->changed_.wait(lock, [&] { return process->first_spawn_done_; });
  if (process->first_spawn_failed_) {
    Error error = process->first_spawn_error_;
    lock.unlock();
    process->watcher_.join();
    return error;
  }
  return process;
}

SupervisedProcess::~SupervisedProcess() { stop(); }

std::filesystem::path SupervisedProcess::log_path() const {
  return options_.work_dir /
         (options_.log_file_name.empty() ? options_.name + ".log" : options_.log_file_name);
}

Result<pid_t> SupervisedProcess::spawn() {
  // Built before fork: the child of a threaded parent must not allocate.
  std::vector<std::string> environment = options_.environment;
  if (environment.empty()) environment.emplace_back("PATH=/usr/local/bin:/usr/bin:/bin");
  std::vector<char*> argv, envp;
  for (const auto& arg : options_.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  const std::string work_dir = options_.work_dir.string();

  auto failed = [this](const std::string& what, int error) {
    return Error{ErrorCode::Unavailable, std::string(kSpawnFailed),
                 options_.name + ": " + what + ": " + errno_text(error)};
  };
  Fd log(::open(log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (log.get() < 0) return failed("open log file", errno);
  Fd null_input(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (null_input.get() < 0) return failed("open /dev/null", errno);
  // The child writes errno here if execve fails; a clean EOF means the exec happened.
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return failed("pipe", errno);
  Fd error_read(pipe_fds[0]), error_write(pipe_fds[1]);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return failed("fork", errno);
  if (pid == 0)
    exec_child(parent, argv.data(), envp.data(), work_dir.c_str(), null_input.get(), log.get(),
               error_write.get());

  error_write.reset();
  int child_error = 0;
  ssize_t got;
  do {
    got = ::read(error_read.get(), &child_error, sizeof child_error);
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return failed("exec " + options_.argv.front(), child_error);
  }
  return pid;
}

void SupervisedProcess::supervise() {
  auto backoff = options_.initial_backoff;
  bool first = true;
  while (true) {
    pid_t pid = 0;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      auto spawned = spawn();
      if (spawned.ok()) {
        pid = pid_ = spawned.value();
        if (!first) ++restarts_;
        spdlog::info("{}: started, pid {}", options_.name, pid);
      } else if (first) {
        first_spawn_failed_ = true;
        first_spawn_error_ = spawned.take_error();
      } else {
        spdlog::error("{}: restart failed: {}", options_.name, spawned.error().detail);
      }
      first_spawn_done_ = true;
    }
    changed_.notify_all();
    if (first && pid == 0) return;
    first = false;

    const auto started_at = Clock::now();
    if (pid != 0) {
      if (options_.on_started) options_.on_started();
      wait_for_exit(pid);
    }
    if (pid != 0 && Clock::now() - started_at >= options_.healthy_after)
      backoff = options_.initial_backoff;
    const auto delay = backoff;
    backoff = std::min(backoff * 2, options_.max_backoff);

    std::unique_lock lock(mutex_);
    if (stopping_) break;
    spdlog::warn("{}: not running; restarting in {} ms", options_.name, delay.count());
    if (changed_.wait_for(lock, delay, [this] { return stopping_; })) break;
  }
}

void SupervisedProcess::wait_for_exit(pid_t pid) {
  // Wait without reaping: while the child is a zombie its pid (and group id) cannot be reused, so
  // signalling -pid stays safe until the reap below, which happens under mutex_ with pid_ cleared.
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
  }
  int status = 0;
  {
    std::lock_guard lock(mutex_);
    pid_ = 0;
    ::kill(-pid, SIGKILL);  // anything the child left behind in its group
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  changed_.notify_all();
  const bool expected = [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  }();
  if (expected)
    spdlog::info("{}: stopped ({})", options_.name, describe_exit(status));
  else
    spdlog::warn("{}: exited unexpectedly ({})", options_.name, describe_exit(status));
}

void SupervisedProcess::stop() {
  std::lock_guard one_stop(stop_mutex_);
  std::unique_lock lock(mutex_);
  stopping_ = true;
  const pid_t pid = pid_;
  if (pid != 0) ::kill(-pid, SIGTERM);
  changed_.notify_all();

  // The watcher may be busy in on_started and not notice the exit at once, so peek (WNOWAIT, no
  // reap) as well as listen for it.
  auto exited = [&] {
    if (pid_ != pid) return true;
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid;
  };
  if (pid != 0) {
    const auto deadline = Clock::now() + options_.stop_timeout;
    while (!exited() && Clock::now() < deadline)
      changed_.wait_for(lock, std::chrono::milliseconds(20));
    if (!exited()) {
      spdlog::warn("{}: did not stop within {} ms; killing it", options_.name,
                   options_.stop_timeout.count());
      ::kill(-pid, SIGKILL);
    }
  }
  lock.unlock();
  if (watcher_.joinable()) watcher_.join();
}

bool SupervisedProcess::running() const {
  std::lock_guard lock(mutex_);
  return pid_ != 0;
}

int SupervisedProcess::restarts() const {
  std::lock_guard lock(mutex_);
  return restarts_;
}

pid_t SupervisedProcess::pid() const {
  std::lock_guard lock(mutex_);
  return pid_;
}

}  // namespace veil::media
