#pragma once
// A throwaway PostgreSQL server for tests: a fresh cluster in a temporary directory, listening on
// 127.0.0.1 on a free port, trusted user `veil`, fsync off. Stopped and deleted in the destructor.
//
// initdb costs about a second, so a test binary starts one server (`shared()`) and gives each
// test its own database in it.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace veil::test {

class PostgresServer {
 public:
  // The Error::reason when no PostgreSQL server binaries are installed: tests skip, visibly.
  static constexpr std::string_view kBinariesMissing = "postgres_binaries_missing";

  static Result<std::unique_ptr<PostgresServer>> start();
  // Started on first use, stopped when the test process exits; an Error if it could not start.
  static const Result<std::unique_ptr<PostgresServer>>& shared();

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // libpq connection string for `database` ("veil" is created at start).
  std::string conninfo(std::string_view database = "veil") const;
  int port() const { return port_; }

 private:
  PostgresServer(std::filesystem::path bin_dir, std::filesystem::path root)
      : bin_dir_(std::move(bin_dir)), root_(std::move(root)) {}
  // Starts `program` (as the server user when we are root) with output to commands.log.
  Result<int> spawn(const std::string& program, const std::vector<std::string>& args,
                    int stdin_fd) const;
  Status run(const std::vector<std::string>& args) const;  // a server binary, waited for
  Status start_reaper();
  Status boot();
  void stop();

  std::filesystem::path bin_dir_;  // initdb, pg_ctl, createdb
  std::filesystem::path root_;     // the temporary directory: data/, the socket, logs
  int port_ = 0;
  int reaper_pid_ = -1;
  int reaper_pipe_ =
      -1;  // write end; its closing, even by the kernel when we die, wakes the reaper
};

}  // namespace veil::test
