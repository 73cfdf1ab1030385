#pragma once
// A real Veil server inside the benchmark process: Platform (--dev, SQLite in a temp dir) and
// WebServer on 127.0.0.1, port 0, serving on a thread. Accounts are registered through the API
// the way a person does it: code, development outbox, verify with the chosen consents.
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/platform.hpp"
#include "app/web_server.hpp"
#include "bench_support.hpp"

namespace veil::bench {

struct RegisteredAccount {
  std::string token;
  std::string id;
};

class LiveServer {
 public:
  // `threads`: the server's I/O threads. Throws when the platform does not start.
  explicit LiveServer(int threads);
  ~LiveServer();
  LiveServer(const LiveServer&) = delete;
  LiveServer& operator=(const LiveServer&) = delete;

  // Throws when the server refuses any step.
  RegisteredAccount register_account(std::string_view phone,
                                     const std::vector<std::string>& purposes);

  app::Platform& platform() { return *platform_; }
  unsigned short port() const { return server_->port(); }

 private:
  TempDir dir_;
  std::unique_ptr<app::Platform> platform_;
  std::unique_ptr<app::WebServer> server_;
  std::thread serving_;
};

}  // namespace veil::bench
