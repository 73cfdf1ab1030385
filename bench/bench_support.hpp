#pragma once
// What the benchmark programs share: a temp directory that cleans itself up, a real Engine over a
// migrated SQLite file in it (the same wiring `veil serve` uses, minus HTTP), and must(), which
// turns a failed set-up into an exception: a benchmark that cannot set up has nothing to measure.
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/engine.hpp"
#include "store/sqlite/sqlite_database.hpp"
#include "util/clock.hpp"

namespace veil::bench {

[[noreturn]] void fail(const Error& error);

template <class T>
T must(Result<T> result) {
  if (!result.ok()) fail(result.error());
  return std::move(result).value();
}
inline void must(const Status& status) {
  if (!status.ok()) fail(status.error());
}

// mkdtemp under $TMPDIR (or /tmp); removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The checked-in data map and policy fragments, found through the source tree this was built from.
engine::EngineConfig engine_config(const std::filesystem::path& data_dir);

// BENCHMARK_MAIN, except that a failed set-up (must) ends the program with its message and after
// unwinding, so the temp directories are removed.
int run_benchmarks(int argc, char** argv);

// A migrated SQLite database (WAL, as in production) in a temp dir and the Engine over it.
struct BenchEngine {
  TempDir dir;
  SystemClock clock;
  std::unique_ptr<store::SqliteDatabase> db;
  std::unique_ptr<engine::Engine> engine;

  BenchEngine();
};

}  // namespace veil::bench
