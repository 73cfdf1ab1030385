#include "bench_support.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/module_registry.hpp"

namespace veil::bench {

void fail(const Error& error) {
  throw std::runtime_error("benchmark set-up failed: " + error.reason + ": " + error.detail);
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/veil-bench-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;  // a destructor must not throw; a leftover temp dir is harmless
  std::filesystem::remove_all(path_, ignored);
}

engine::EngineConfig engine_config(const std::filesystem::path& data_dir) {
  const std::filesystem::path source = VEIL_SOURCE_DIR;
  return {data_dir, source / "datamap" / "datamap.toml", source / "i18n" / "policy.toml"};
}

int run_benchmarks(int argc, char** argv) {
  try {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}

BenchEngine::BenchEngine() {
  db = must(store::SqliteDatabase::open((dir.path() / "veil.db").string()));
  // The schema `veil serve` runs on, so the tables and their indexes are the production ones.
  must(db->migrate(app::all_migrations()));
  engine = must(engine::Engine::open(*db, clock, engine_config(dir.path())));
}

}  // namespace veil::bench
