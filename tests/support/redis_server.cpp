#include "support/redis_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/ports.hpp"

namespace veil::test {

namespace {
bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}
}  // namespace

Result<std::unique_ptr<RedisServer>> RedisServer::start() {
  const char* binary = "/usr/bin/redis-server";
  if (::access(binary, X_OK) != 0) return Error{ErrorCode::Unavailable, std::string(kBinaryMissing), binary};
  std::unique_ptr<RedisServer> server(new RedisServer());
  char pattern[] = "/tmp/veil-redis-XXXXXX";
  if (!::mkdtemp(pattern)) return Error::internal("mkdtemp failed");
  server->dir_ = pattern;
  server->port_ = VEIL_TRY(free_loopback_port());
  std::string port = std::to_string(server->port_), dir = server->dir_.string();
  pid_t pid = ::fork();
  if (pid < 0) return Error::internal("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlives the test process
    ::execl(binary, binary, "--bind", "127.0.0.1", "--port", port.c_str(), "--save", "", "--appendonly", "no", "--dir",
            dir.c_str(), "--logfile", (dir + "/redis.log").c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  server->pid_ = pid;
  for (int i = 0; i < 100 && !accepts(server->port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (!accepts(server->port_)) return Error::internal("redis-server did not start on " + port);
  return server;
}

RedisServer::~RedisServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace veil::test
