#pragma once
// A throwaway redis-server for tests: loopback, a free port, no persistence, its own temporary
// directory; stopped in the destructor.
#include <filesystem>
#include <memory>
#include <string_view>

#include "util/result.hpp"

namespace veil::test {

class RedisServer {
 public:
  static constexpr std::string_view kBinaryMissing = "redis_server_missing";
  static Result<std::unique_ptr<RedisServer>> start();
  ~RedisServer();
  int port() const { return port_; }

 private:
  RedisServer() = default;
  std::filesystem::path dir_;
  int port_ = 0;
  int pid_ = -1;
};

}  // namespace veil::test
