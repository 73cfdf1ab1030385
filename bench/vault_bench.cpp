// The vault's cost per personal field. Goals (issue): field encrypt+decrypt including the subject
// key lookup ≤ 2 µs; blind index ≤ 1 µs. Everything runs on a real Engine over a SQLite file.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "bench_support.hpp"
#include "engine/vault/master_key_file.hpp"
#include "util/encoding.hpp"

namespace veil::bench {
namespace {

constexpr std::string_view kField = "account.phone";

// 11 bytes is a phone number (the common field); 256 a profile introduction.
std::string plaintext_of(const benchmark::State& state) {
  return std::string(static_cast<std::size_t>(state.range(0)), '7');
}

void report_bytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

// Warm: the subject's data key is already in the vault's cache — every access after the
// subject's first since start-up, so the realistic case. The session is held across the loop,
// as a request holds one across the fields it touches.
void BM_SealUnseal_WarmKey(benchmark::State& state) {
  BenchEngine b;
  engine::Vault& vault = b.engine->vault();
  const std::string subject = random_id();
  const std::string plain = plaintext_of(state);
  must(b.db->with_session([&](store::Session& s) -> Status {
    must(vault.seal(s, subject, kField, plain));  // creates, stores and caches the key
    for (auto _ : state) {
      Bytes sealed = must(vault.seal(s, subject, kField, plain));
      Pi<std::string> opened = must(vault.unseal(s, subject, kField, sealed));
      benchmark::DoNotOptimize(opened.reveal().data());
    }
    return {};
  }));
  report_bytes(state);
}
BENCHMARK(BM_SealUnseal_WarmKey)->Arg(11)->Arg(256);

// Cold: each subject is touched for the first time by this Vault, so seal reads the wrapped key
// from SQLite (subject_keys, by primary key) and unwraps it with the master key; unseal then finds
// it cached. SQLite's page cache is warm: this is a cold *key cache*, not a cold disk.
void BM_SealUnseal_ColdKey(benchmark::State& state) {
  constexpr int kSubjects = 10'000;
  BenchEngine b;
  const std::string plain = plaintext_of(state);
  std::vector<std::string> subjects;
  for (int i = 0; i < kSubjects; ++i) subjects.push_back(random_id());
  must(b.db->transaction([&](store::Session& s) -> Status {
    for (const auto& subject : subjects) must(b.engine->vault().seal(s, subject, kField, plain));
    return {};
  }));
  while (state.KeepRunningBatch(kSubjects)) {
    // A fresh Vault has an empty key cache; opening it reads two keys and is not what we time.
    state.PauseTiming();
    std::vector<engine::MasterKey> keyring;
    keyring.push_back(must(engine::load_master_key(b.dir.path() / "master.key", false)));
    auto vault = must(engine::Vault::open(*b.db, std::move(keyring), b.clock));
    state.ResumeTiming();
    must(b.db->with_session([&](store::Session& s) -> Status {
      for (const auto& subject : subjects) {
        Bytes sealed = must(vault->seal(s, subject, kField, plain));
        Pi<std::string> opened = must(vault->unseal(s, subject, kField, sealed));
        benchmark::DoNotOptimize(opened.reveal().data());
      }
      return {};
    }));
  }
  report_bytes(state);
}
BENCHMARK(BM_SealUnseal_ColdKey)->Arg(11)->Arg(256);

// What a module actually calls: FieldAccess encode + decode, which add the data-map lookups and
// the purpose/consent check (a consent-ledger read) to the vault work above. Context, not a goal.
void BM_FieldEncodeDecode_WarmKey(benchmark::State& state) {
  BenchEngine b;
  engine::FieldAccess& fields = b.engine->fields();
  const std::string subject = random_id();
  const std::string plain = plaintext_of(state);
  must(b.db->transaction([&](store::Session& s) -> Status {
    must(b.engine->consent().record(s, {subject,
                                        b.engine->map().version(),
                                        engine::ConsentAction::Accept,
                                        {"login"},
                                        "web",
                                        subject}));
    must(fields.encode(s, subject, "login", kField, plain));
    return {};
  }));
  must(b.db->with_session([&](store::Session& s) -> Status {
    for (auto _ : state) {
      store::Value stored = must(fields.encode(s, subject, "login", kField, plain));
      auto opened = must(fields.decode(s, subject, "login", kField, stored));
      benchmark::DoNotOptimize(opened->reveal().data());
    }
    return {};
  }));
  report_bytes(state);
}
BENCHMARK(BM_FieldEncodeDecode_WarmKey)->Arg(11);

// The keyed BLAKE2b over a normalised phone number: what a lookup by phone computes.
void BM_BlindIndex(benchmark::State& state) {
  BenchEngine b;
  const engine::Vault& vault = b.engine->vault();
  for (auto _ : state) {
    std::string index = vault.blind_index("phone_number", "13800138000");
    benchmark::DoNotOptimize(index.data());
  }
}
BENCHMARK(BM_BlindIndex);

// The same through FieldAccess::index_of, as modules call it (adds the data-map field lookup).
void BM_IndexOf(benchmark::State& state) {
  BenchEngine b;
  const engine::FieldAccess& fields = b.engine->fields();
  for (auto _ : state) {
    std::string index = must(fields.index_of("account.phone_index", "13800138000"));
    benchmark::DoNotOptimize(index.data());
  }
}
BENCHMARK(BM_IndexOf);

// Where seal's time goes, libsodium alone: a 24-byte nonce from randombytes_buf (the default
// "sysrandom" implementation makes a getrandom() system call each time) ...
void BM_Libsodium_Nonce(benchmark::State& state) {
  std::uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
  for (auto _ : state) {
    randombytes_buf(nonce, sizeof nonce);
    benchmark::DoNotOptimize(nonce);
  }
  state.SetLabel(randombytes_implementation_name());
}
BENCHMARK(BM_Libsodium_Nonce);

// ... and one XChaCha20-Poly1305 encryption of a phone number with the vault's associated data
// (subject id, NUL, field id); unseal costs about the same again.
void BM_Libsodium_Aead(benchmark::State& state) {
  std::uint8_t key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES] = {};
  std::uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = {};
  const std::string plain = plaintext_of(state);
  const std::string ad = random_id() + std::string(1, '\0') + std::string(kField);
  Bytes out(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  for (auto _ : state) {
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        out.data(), &written, reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size(),
        reinterpret_cast<const std::uint8_t*>(ad.data()), ad.size(), nullptr, nonce, key);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Libsodium_Aead)->Arg(11);

}  // namespace
}  // namespace veil::bench

int main(int argc, char** argv) { return veil::bench::run_benchmarks(argc, argv); }
