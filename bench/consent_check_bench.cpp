// What the consent/purpose check costs against a whole authenticated GET /api/v1/me.
// Goal (issue): check time / request time ≤ 3 %. The request is timed end to end from a client
// in this process over one keep-alive loopback connection to a real WebServer; the check is
// FieldAccess::check for a consent-based purpose (`login`, separate consent) that is granted.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

#include "live_server.hpp"
#include "loopback_http.hpp"
#include "util/encoding.hpp"

namespace veil::bench {
namespace {

// Set in main before any benchmark runs.
LiveServer* g_server = nullptr;
RegisteredAccount g_login_only;    // consented to `login` only: /me makes 2 checks
RegisteredAccount g_with_profile;  // `login` and `profile`, profile filled: /me makes 8 checks

// The check /me makes before it decrypts the phone number.
void BM_ConsentCheck_Granted(benchmark::State& state) {
  engine::FieldAccess& fields = g_server->platform().engine().fields();
  const std::string& id = g_login_only.id;
  must(g_server->platform().db().with_session([&](store::Session& s) -> Status {
    for (auto _ : state) must(fields.check(s, id, "login", "account.phone"));
    return {};
  }));
}
BENCHMARK(BM_ConsentCheck_Granted)->Unit(benchmark::kMicrosecond);

// The second check /me makes: is the profile shown? Refused here (only `login` was granted), so
// it also pays for building the error.
void BM_ConsentCheck_NotGranted(benchmark::State& state) {
  engine::FieldAccess& fields = g_server->platform().engine().fields();
  const std::string& id = g_login_only.id;
  must(g_server->platform().db().with_session([&](store::Session& s) -> Status {
    for (auto _ : state)
      benchmark::DoNotOptimize(fields.check(s, id, "profile", "profile.nickname").ok());
    return {};
  }));
}
BENCHMARK(BM_ConsentCheck_NotGranted)->Unit(benchmark::kMicrosecond);

// The check folds the subject's whole ledger (ConsentLedger::state), so its cost grows with the
// number of records. Arg = records: an acceptance, then alternating profile grants/withdrawals.
void BM_ConsentCheck_LedgerLength(benchmark::State& state) {
  engine::Engine& engine = g_server->platform().engine();
  const std::string subject = random_id();
  must(g_server->platform().db().transaction([&](store::Session& s) -> Status {
    const std::string version = engine.map().version();
    must(engine.consent().record(
        s, {subject, version, engine::ConsentAction::Accept, {"login"}, "web", subject}));
    for (std::int64_t i = 1; i < state.range(0); ++i) {
      auto action = i % 2 ? engine::ConsentAction::Grant : engine::ConsentAction::Withdraw;
      must(engine.consent().record(s, {subject, version, action, {"profile"}, "web", subject}));
    }
    return {};
  }));
  must(g_server->platform().db().with_session([&](store::Session& s) -> Status {
    for (auto _ : state) must(engine.fields().check(s, subject, "login", "account.phone"));
    return {};
  }));
}
BENCHMARK(BM_ConsentCheck_LedgerLength)->Arg(1)->Arg(9)->Arg(33)->Unit(benchmark::kMicrosecond);

// The whole request as a client sees it: send, parse, route, session lookup, account read, the
// checks, decrypt, JSON, access log, response, receive. Client and server share this process.
void me_request(benchmark::State& state, const RegisteredAccount& account) {
  LoopbackHttp client(g_server->port());
  std::size_t body_bytes = 0;
  for (auto _ : state) {
    HttpReply reply = client.request("GET", "/api/v1/me", {}, account.token);
    if (reply.status != 200) {
      state.SkipWithError(("GET /api/v1/me answered " + std::to_string(reply.status)).c_str());
      break;
    }
    body_bytes = reply.body.size();
  }
  state.counters["body_bytes"] = static_cast<double>(body_bytes);
}
void BM_MeRequest(benchmark::State& state) { me_request(state, g_login_only); }
BENCHMARK(BM_MeRequest)->Unit(benchmark::kMicrosecond)->UseRealTime();

// With the profile consent and a profile, /me decodes six profile fields and each decode checks
// consent again (FieldAccess::decode calls check): 8 ledger folds per request.
void BM_MeRequest_ProfileConsent(benchmark::State& state) { me_request(state, g_with_profile); }
BENCHMARK(BM_MeRequest_ProfileConsent)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The same work without HTTP: authenticate the token, read the account (both checks, decrypt).
// A stricter denominator than the full request.
void BM_MeService(benchmark::State& state) {
  accounts::AccountService& accounts = g_server->platform().accounts();
  for (auto _ : state) {
    std::string id = must(accounts.authenticate(g_login_only.token));
    accounts::Me me = must(accounts.me(id));
    benchmark::DoNotOptimize(me.phone_masked.data());
  }
}
BENCHMARK(BM_MeService)->Unit(benchmark::kMicrosecond);

// Prints the usual table (without colour: it usually goes to a log), then the ratios the goal is
// about, from the same runs: the median over --benchmark_repetitions, so one preempted repetition
// on a busy machine does not decide the figure.
class RatioReporter final : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const double us = run.GetAdjustedRealTime() * to_microseconds(run.time_unit);
      // With --benchmark_display_aggregates_only only the aggregates reach this reporter.
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")
        medians_[run.run_name.str()] = us;
      if (run.run_type == Run::RT_Iteration) microseconds_[run.run_name.str()].push_back(us);
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void print_ratios() const {
    const double check = median("BM_ConsentCheck_Granted");
    const double refused = median("BM_ConsentCheck_NotGranted");
    const double request = median("BM_MeRequest/real_time");
    const double service = median("BM_MeService");
    const double profile_request = median("BM_MeRequest_ProfileConsent/real_time");
    if (check <= 0 || request <= 0) return;  // filtered out: nothing to compare
    std::printf("\nconsent check (granted)            %8.3f us\n", check);
    std::printf("GET /api/v1/me, full request       %8.3f us\n", request);
    std::printf("ratio check / request              %8.2f %%   (goal <= 3 %%)\n",
                100 * check / request);
    if (refused > 0)
      std::printf("ratio both checks /me runs / request %6.2f %%\n",
                  100 * (check + refused) / request);
    if (service > 0)
      std::printf("ratio check / service work (no HTTP) %6.2f %%\n", 100 * check / service);
    if (profile_request > 0)
      std::printf("with profile consent: 8 checks / request %6.2f %%  (request %.3f us)\n",
                  100 * 8 * check / profile_request, profile_request);
  }

 private:
  static double to_microseconds(benchmark::TimeUnit unit) {
    switch (unit) {
      case benchmark::kNanosecond:
        return 1e-3;
      case benchmark::kMicrosecond:
        return 1;
      case benchmark::kMillisecond:
        return 1e3;
      case benchmark::kSecond:
        return 1e6;
    }
    return 1;
  }
  double median(const std::string& name) const {
    if (auto m = medians_.find(name); m != medians_.end()) return m->second;
    auto it = microseconds_.find(name);
    if (it == microseconds_.end()) return 0;
    std::vector<double> times = it->second;
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
  }
  std::map<std::string, std::vector<double>> microseconds_;  // per repetition
  std::map<std::string, double> medians_;                    // the median aggregate, when reported
};

int run(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // One I/O thread: client and server take turns on one core over one connection, so a second
  // server thread would have no request of its own to work on.
  LiveServer server(1);
  g_server = &server;
  g_login_only = server.register_account("13800138000", {"login"});
  g_with_profile = server.register_account("13900139000", {"login", "profile"});
  LoopbackHttp client(server.port());
  auto filled =
      client.request("PATCH", "/api/v1/me/profile",
                     R"({"nickname":"小林","gender":"female","hometown":"杭州","industry":"教育",)"
                     R"("intro":"周末直播讲数学。","avatar_url":"https://example.com/a.png"})",
                     g_with_profile.token);
  if (filled.status != 200)
    throw std::runtime_error("PATCH /api/v1/me/profile answered " + filled.body);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
}  // namespace
}  // namespace veil::bench

int main(int argc, char** argv) {
  try {
    return veil::bench::run(argc, argv);
  } catch (const std::exception& e) {  // after unwinding: the server stopped, the temp dir removed
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
