#include "app/commands.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/platform.hpp"
#include "app/retention.hpp"
#include "app/web_server.hpp"
#include "engine/datamap/schema_check.hpp"
#include "engine/retention/retention_sweeper.hpp"
#include "engine/vault/master_key_file.hpp"

namespace veil::app {

namespace {
int fail(const Error& e) {
  // Start-up and command errors: the detail names files and lines, never personal data.
  std::cerr << "veil: " << e.reason << (e.detail.empty() ? "" : ": " + e.detail) << "\n";
  return 1;
}
}  // namespace

void set_up_logging(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir / "logs", ec);
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  std::vector<spdlog::sink_ptr> sinks{console};
  try {
    sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>((config.data_dir / "logs" / "veil.log").string()));
  } catch (const spdlog::spdlog_ex&) {
    // A read-only data directory still serves; the console log remains.
  }
  auto logger = std::make_shared<spdlog::logger>("veil", sinks.begin(), sinks.end());
  // Warnings reach the file at once; the access log is flushed every second rather than per
  // request, which costs a write per request under load.
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

int run_serve(Config config) {
  auto platform = Platform::open(std::move(config));
  if (!platform.ok()) return fail(platform.error());
  auto server = WebServer::create(**platform);
  if (!server.ok()) return fail(server.error());
  const Config& c = (*platform)->config();
  spdlog::info("veil serving on http://{}:{} (data: {}, dev: {})", c.host, (*server)->port(), c.data_dir.string(), c.dev);
  if (!std::filesystem::exists(c.web_root / "index.html"))
    spdlog::warn("web app not built at {}: run `npm --prefix web run build`", c.web_root.string());
  // What has passed its retention is swept at start and then every hour, until the server stops.
  std::jthread sweeper([&platform](std::stop_token stop) {
    std::mutex m;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      auto& p = **platform;
      auto swept = sweep_retention(p);  // rows past their period, then their media files
      if (!swept.ok()) spdlog::error("retention sweep failed: {}", swept.error().reason);
      std::unique_lock lock(m);
      wake.wait_for(lock, stop, std::chrono::hours(1), [] { return false; });
    }
  });
  (*server)->run();
  spdlog::info("veil stopped: every in-flight request was answered");
  return 0;
}

int run_sweep(Config config) {
  auto platform = Platform::open(std::move(config));
  if (!platform.ok()) return fail(platform.error());
  auto& p = **platform;
  auto report = sweep_retention(p);
  if (!report.ok()) return fail(report.error());
  std::cout << nlohmann::json{{"rows_deleted", report->rows.rows_deleted},
                              {"fields_cleared", report->rows.fields_cleared},
                              {"media_deleted", {{"recordings", report->media_files.recordings},
                                                 {"clips", report->media_files.clips}}},
                              {"recordings_closed", report->recordings_closed}}
                   .dump()
            << "\n";
  return 0;
}

int run_migrate(Config config) {
  config.resolve_defaults();
  auto db = open_database(config);
  if (!db.ok()) return fail(db.error());
  std::cout << "migrations applied\n";
  return 0;
}

int run_audit_verify(Config config) {
  auto platform = Platform::open(std::move(config));
  if (!platform.ok()) return fail(platform.error());
  auto& engine = (*platform)->engine();
  auto verdict = store::read<engine::AuditVerdict>((*platform)->db(), [&](store::Session& s) { return engine.audit().verify(s); });
  if (!verdict.ok()) return fail(verdict.error());
  if (verdict->intact()) {
    std::cout << "audit log intact: " << verdict->entries << " entries\n";
    return 0;
  }
  std::cout << "audit log BROKEN at entry " << *verdict->broken_at << ": " << verdict->reason << "\n";
  return 2;
}

int run_personal_row_counts(Config config) {
  auto platform = Platform::open(std::move(config));
  if (!platform.ok()) return fail(platform.error());
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& table : (*platform)->engine().map().personal_tables()) {
    // Table and column names come from the validated data map. A row that belongs to no one (the
    // platform's own wallets) holds nothing personal.
    const auto* declared = (*platform)->engine().map().table(table);
    std::string sql = "SELECT COUNT(*) FROM " + table;
    if (declared && declared->owner) sql += " WHERE " + declared->owner->column + " IS NOT NULL";
    auto n = store::read<std::int64_t>((*platform)->db(), [&](store::Session& s) -> Result<std::int64_t> {
      auto rows = VEIL_TRY(s.query(sql, {}));
      return rows[0].integer(0);
    });
    if (!n.ok()) return fail(n.error());
    counts[table] = *n;
  }
  std::cout << counts.dump() << "\n";
  return 0;
}

int run_schema_check(Config config) {
  auto platform = Platform::open(std::move(config));
  if (!platform.ok()) return fail(platform.error());
  auto columns = (*platform)->db().columns();
  if (!columns.ok()) return fail(columns.error());
  auto problems = engine::check_schema((*platform)->engine().map(), *columns);
  for (const auto& p : problems) std::cout << p << "\n";
  if (problems.empty()) std::cout << "every column is declared in the data map\n";
  return problems.empty() ? 0 : 1;
}

int run_rotate_master_key(Config config) {
  auto platform = Platform::open(std::move(config));
  if (!platform.ok()) return fail(platform.error());
  const auto dir = (*platform)->config().data_dir;
  // Order matters for crash safety: the next key is on disk before any row is wrapped by it, and
  // becomes master.key only after every row is (engine/engine.cpp loads both meanwhile).
  SecretBytes fresh = SecretBytes::random(32);
  if (auto st = engine::write_key_file(dir / "master.key.next", fresh); !st.ok()) return fail(st.error());
  engine::MasterKey next = engine::make_master_key(std::move(fresh));
  std::string next_id = next.key_id;
  auto& engine = (*platform)->engine();
  if (auto st = engine.vault().rotate_master((*platform)->db(), std::move(next)); !st.ok()) return fail(st.error());
  std::error_code ec;
  std::filesystem::rename(dir / "master.key.next", dir / "master.key", ec);
  if (ec) return fail(Error::internal("rename master.key.next: " + ec.message()));
  auto audited = (*platform)->db().transaction([&](store::Session& s) -> Status {
    VEIL_TRY(engine.audit().append(s, {"operator", "vault.rotate_master", next_id, {}}));
    return {};
  });
  if (!audited.ok()) return fail(audited.error());
  std::cout << "master key rotated; new key id " << next_id << "\n";
  return 0;
}

int run_grant_staff(Config config, const std::string& account_id) {
  auto platform = Platform::open(std::move(config));
  if (!platform.ok()) return fail(platform.error());
  if (auto st = (*platform)->accounts().grant_staff(account_id, "operator"); !st.ok()) return fail(st.error());
  std::cout << "account " << account_id << " is staff\n";
  return 0;
}

int run_policy_render(Config config, const std::string& document, const std::string& lang) {
  auto platform = Platform::open(std::move(config));
  if (!platform.ok()) return fail(platform.error());
  auto kind = engine::parse_document_kind(document);
  auto language = engine::parse_lang(lang);
  if (!kind || !language) return fail(Error::invalid("document_unknown", document + " / " + lang));
  std::cout << (*platform)->engine().documents().render(*kind, *language).dump(2) << "\n";
  return 0;
}

}  // namespace veil::app
