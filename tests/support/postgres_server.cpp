#include "support/postgres_server.hpp"

#include "support/ports.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <system_error>

namespace veil::test {
namespace fs = std::filesystem;
namespace {

bool has_server_binaries(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / "initdb", ec) && fs::exists(dir / "pg_ctl", ec) &&
         fs::exists(dir / "createdb", ec);
}

// Debian keeps server binaries in /usr/lib/postgresql/<major>/bin, off PATH; elsewhere they are
// usually on PATH. VEIL_PG_BINDIR overrides both.
std::optional<fs::path> find_bin_dir() {
  if (const char* forced = std::getenv("VEIL_PG_BINDIR"); forced && has_server_binaries(forced))
    return fs::path(forced);
  std::optional<fs::path> newest;
  int newest_major = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const int major = std::atoi(entry.path().filename().c_str());
    if (major > newest_major && has_server_binaries(entry.path() / "bin")) {
      newest_major = major;
      newest = entry.path() / "bin";
    }
  }
  if (newest) return newest;
  std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "");
  for (std::string dir; std::getline(path, dir, ':');)
    if (!dir.empty() && has_server_binaries(dir)) return fs::path(dir);
  return std::nullopt;
}

std::string tail_of(const fs::path& file, std::size_t bytes = 2000) {
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

// initdb refuses to run as root; when the tests run as root, the server runs as `postgres`.
struct RunAs {
  bool drop = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

Result<RunAs> server_user() {
  if (::geteuid() != 0) return RunAs{};
  const passwd* user = ::getpwnam("postgres");
  if (user == nullptr)
    return Error::internal("running as root, and there is no `postgres` user to run initdb as");
  return RunAs{true, user->pw_uid, user->pw_gid};
}

}  // namespace

Result<std::unique_ptr<PostgresServer>> PostgresServer::start() {
  std::optional<fs::path> bin_dir = find_bin_dir();
  if (!bin_dir)
    return Error{ErrorCode::Unavailable, std::string(kBinariesMissing),
                 "no initdb/pg_ctl/createdb in /usr/lib/postgresql/*/bin or on PATH"};
  const RunAs user = VEIL_TRY(server_user());
  // Under /tmp, not $TMPDIR: the server's Unix socket path must fit in 107 bytes.
  std::string pattern = "/tmp/veil-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr)
    return Error::internal("mkdtemp: " + std::system_category().message(errno));
  std::unique_ptr<PostgresServer> server(
      new PostgresServer(*bin_dir, pattern));  // owns the directory now
  if (user.drop && ::chown(pattern.c_str(), user.uid, user.gid) != 0)
    return Error::internal("chown temp dir: " + std::system_category().message(errno));
  VEIL_TRY(server->start_reaper());
  VEIL_TRY(server->boot());
  return server;
}

const Result<std::unique_ptr<PostgresServer>>& PostgresServer::shared() {
  static const Result<std::unique_ptr<PostgresServer>> server = [] {
    const auto began = std::chrono::steady_clock::now();
    auto started = start();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - began);
    if (started.ok())
      std::cerr << "[postgres] test server on 127.0.0.1:" << (*started)->port() << " started in "
                << ms.count() << " ms\n";
    return started;
  }();
  return server;
}

PostgresServer::~PostgresServer() {
  stop();
  if (reaper_pipe_ >= 0) ::close(reaper_pipe_);  // nothing left to clean: the reaper just exits
  if (reaper_pid_ > 0) ::waitpid(reaper_pid_, nullptr, 0);
}

// A test binary killed half-way (ctest timeout, Ctrl-C, a broken pipe) never runs the destructor,
// and the server would outlive it holding a port. A small shell waits on a pipe only we hold:
// when we exit, however we exit, the kernel closes it and the shell stops the server and deletes
// the directory.
Status PostgresServer::start_reaper() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0)
    return Error::internal("pipe: " + std::system_category().message(errno));
  const std::string script =
      "read -r _; if [ -f \"$2/postmaster.pid\" ]; then \"$1\" stop -D \"$2\" -m immediate -w; fi; "
      "rm -rf \"$3\"";
  auto pid = spawn("/bin/sh",
                   {"sh", "-c", script, "veil-pg-reaper", (bin_dir_ / "pg_ctl").string(),
                    (root_ / "data").string(), root_.string()},
                   ends[0]);
  ::close(ends[0]);
  if (!pid.ok()) {
    ::close(ends[1]);
    return pid.take_error();
  }
  reaper_pid_ = *pid;
  reaper_pipe_ = ends[1];
  return {};
}

std::string PostgresServer::conninfo(std::string_view database) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=veil dbname=" + std::string(database) + " connect_timeout=10";
}

Status PostgresServer::boot() {
  const fs::path data = root_ / "data";
  // --no-sync: a throwaway cluster need not survive a power cut; skips syncing ~1,000 files.
  VEIL_TRY(run({"initdb", "-D", data, "--auth=trust", "-U", "veil", "--encoding=UTF8", "--locale=C",
                "--no-sync", "--no-instructions"}));
  Status started = Error::internal("not started");
  for (int attempt = 0; attempt < 3 && !started.ok(); ++attempt) {
    port_ = VEIL_TRY(free_loopback_port());
    const std::string options = "-k " + root_.string() + " -c listen_addresses=127.0.0.1 -p " +
                                std::to_string(port_) + " -c fsync=off -c synchronous_commit=off" +
                                " -c full_page_writes=off";
    started = run({"pg_ctl", "start", "-w", "-t", "60", "-D", data, "-l", root_ / "server.log",
                   "-o", options});
  }
  VEIL_TRY(std::move(started));
  return run({"createdb", "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "veil", "veil"});
}

void PostgresServer::stop() {
  // The pid file exists from the moment the postmaster starts until it stops, also after a start
  // that timed out half-way.
  std::error_code ec;
  const fs::path pid_path = root_ / "data" / "postmaster.pid";
  if (fs::exists(pid_path, ec) &&
      !run({"pg_ctl", "stop", "-D", root_ / "data", "-m", "immediate", "-w"}).ok()) {
    // pg_ctl could not stop it: end our own postmaster by the pid it recorded (first line).
    std::ifstream pid_file(pid_path);
    if (pid_t pid = 0; pid_file >> pid && pid > 0) ::kill(pid, SIGKILL);
  }
  fs::remove_all(root_, ec);
}

Result<int> PostgresServer::spawn(const std::string& program, const std::vector<std::string>& args,
                                  int stdin_fd) const {
  const RunAs user = VEIL_TRY(server_user());
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const fs::path log = root_ / "commands.log";
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Error::internal("open " + log.string());

  const pid_t child = ::fork();
  if (child == 0) {
    ::dup2(stdin_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    if (::chdir(root_.c_str()) != 0) ::_exit(126);
    if (user.drop &&
        (::setgroups(0, nullptr) != 0 || ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0))
      ::_exit(126);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  if (child < 0) return Error::internal("fork: " + std::system_category().message(errno));
  return static_cast<int>(child);
}

Status PostgresServer::run(const std::vector<std::string>& args) const {
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) return Error::internal("open /dev/null");
  auto child = spawn((bin_dir_ / args.at(0)).string(), args, null_fd);
  ::close(null_fd);
  if (!child.ok()) return child.take_error();
  int status = 0;
  while (::waitpid(*child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  return Error::internal(args.at(0) + " failed (status " + std::to_string(status) +
                         ")\n--- commands.log\n" + tail_of(root_ / "commands.log") +
                         "\n--- server.log\n" + tail_of(root_ / "server.log"));
}

}  // namespace veil::test
