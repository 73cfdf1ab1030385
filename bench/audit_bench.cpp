// Audit-log appends with the hash chain, on SQLite in WAL mode (synchronous=NORMAL, as the store
// opens it) in a temp dir. Goal (issue): ≥ 50,000 entries/s on one core. Run pinned
// (scripts/bench.sh uses taskset -c 0); items_per_second is entries/s.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_support.hpp"
#include "util/encoding.hpp"

namespace veil::bench {
namespace {

// The shape of a real entry (registration): pseudonymous ids and a small JSON detail.
engine::AuditEntry sample_entry(const std::string& account) {
  return {account, "consent.accept", account, {{"seq", 1}, {"policy_version", "1.0.0"}}};
}

// (a) Many entries in one transaction: the cost of the chain itself (head read, keyed hash,
// insert) with the commit amortised. Arg = entries per transaction.
void BM_AuditAppend_Batched(benchmark::State& state) {
  BenchEngine b;
  engine::AuditLog& audit = b.engine->audit();
  const engine::AuditEntry entry = sample_entry(random_id());
  const auto per_transaction = static_cast<int>(state.range(0));
  for (auto _ : state) {
    must(b.db->transaction([&](store::Session& s) -> Status {
      for (int i = 0; i < per_transaction; ++i) must(audit.append(s, entry));
      return {};
    }));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * per_transaction);
}
BENCHMARK(BM_AuditAppend_Batched)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

// (b) One entry per committed transaction: what an action that audits itself pays today, since
// each service commits its own transaction (BEGIN IMMEDIATE … COMMIT, a WAL append per commit).
void BM_AuditAppend_OnePerTransaction(benchmark::State& state) {
  BenchEngine b;
  engine::AuditLog& audit = b.engine->audit();
  const engine::AuditEntry entry = sample_entry(random_id());
  for (auto _ : state) {
    must(b.db->transaction([&](store::Session& s) -> Status {
      must(audit.append(s, entry));
      return {};
    }));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_AuditAppend_OnePerTransaction)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The chain link alone (JSON of the fields + keyed BLAKE2b, via the vault's secret hash), to say
// how much of an append is hashing and how much is SQLite.
void BM_AuditChainLinkOnly(benchmark::State& state) {
  BenchEngine b;
  const engine::Vault& vault = b.engine->vault();
  const engine::AuditEntry entry = sample_entry(random_id());
  const std::string prev(64, 'a');
  std::int64_t seq = 0;
  for (auto _ : state) {
    // Mirrors AuditLog::link (private): the same JSON shape and the same keyed hash.
    nlohmann::json fields =
        nlohmann::json::array({++seq, std::int64_t{1'790'000'000'000}, entry.actor, entry.action,
                               entry.target, entry.detail.dump()});
    std::string hash =
        vault.secret_hash("audit-chain", nlohmann::json::array({fields, prev}).dump());
    benchmark::DoNotOptimize(hash.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_AuditChainLinkOnly);

}  // namespace
}  // namespace veil::bench

int main(int argc, char** argv) { return veil::bench::run_benchmarks(argc, argv); }
