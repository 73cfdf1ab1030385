// veil: one binary, several subcommands. This file only parses the command line.
#include <CLI/CLI.hpp>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  using veil::app::Config;
  CLI::App app{"Veil: a privacy-first live platform whose privacy policy is executable"};
  app.require_subcommand(1);
  Config config;
  std::string config_file, listen, rtmp_listen, data_dir, database, web_root, resources;
  bool dev = false;
  int threads = 0;
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--config", config_file, "TOML configuration file");
    cmd->add_option("--data-dir", data_dir, "data directory (default ./data)");
    cmd->add_option("--database", database, "PostgreSQL conninfo; default: SQLite in the data directory");
    cmd->add_option("--resources", resources, "folder holding datamap/ and i18n/");
  };
  auto* serve = app.add_subcommand("serve", "run the platform");
  common(serve);
  serve->add_option("--listen", listen, "host:port (default 127.0.0.1:8080)");
  serve->add_option("--rtmp-listen", rtmp_listen, "host:port where OBS and other RTMP encoders connect (default 127.0.0.1:1935; port 0: any free one)");
  serve->add_option("--web-root", web_root, "built web app (default web/dist)");
  serve->add_option("--threads", threads, "I/O threads (default 2)");
  serve->add_flag("--dev", dev, "development endpoints: SMS outbox, clock");
  auto* migrate = app.add_subcommand("migrate", "create or upgrade the schema");
  common(migrate);
  auto* audit = app.add_subcommand("audit", "audit log");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "check the hash chain; names the first broken entry");
  common(audit_verify);
  auto* admin = app.add_subcommand("admin", "operator commands");
  admin->require_subcommand(1);
  auto* counts = admin->add_subcommand("personal-row-counts", "rows in every table the data map marks personal (JSON)");
  common(counts);
  auto* schema = admin->add_subcommand("schema-check", "every column declared in the data map?");
  common(schema);
  auto* sweep = admin->add_subcommand("sweep", "delete what has passed its retention now (serve also does it hourly)");
  common(sweep);
  auto* rotate = admin->add_subcommand("rotate-master-key", "new master key; rewraps every data key");
  common(rotate);
  auto* staff = admin->add_subcommand("grant-staff", "make an account platform staff (review queues, moderation)");
  common(staff);
  std::string staff_account;
  staff->add_option("account", staff_account, "the account id")->required();
  auto* policy = app.add_subcommand("policy", "generated documents");
  policy->require_subcommand(1);
  auto* render = policy->add_subcommand("render", "print a generated document as JSON");
  common(render);
  std::string document = "privacy-policy", lang = "zh-CN";
  render->add_option("--doc", document, "privacy-policy | collected-pi | third-parties | permissions");
  render->add_option("--lang", lang, "zh-CN | en");
  CLI11_PARSE(app, argc, argv);

  if (!config_file.empty()) {
    auto loaded = Config::load_file(config_file);
    if (!loaded.ok()) {
      std::cerr << "veil: " << loaded.error().detail << "\n";
      return 1;
    }
    config = std::move(loaded).value();
  }
  if (!listen.empty()) {
    if (auto st = config.set_listen(listen); !st.ok()) {
      std::cerr << "veil: invalid --listen " << listen << "\n";
      return 1;
    }
  }
  if (!rtmp_listen.empty()) {
    if (auto st = config.set_rtmp_listen(rtmp_listen); !st.ok()) {
      std::cerr << "veil: invalid --rtmp-listen " << rtmp_listen << "\n";
      return 1;
    }
  }
  if (!data_dir.empty()) config.data_dir = data_dir;
  if (!database.empty()) config.database = database;
  if (!web_root.empty()) config.web_root = web_root;
  if (!resources.empty()) config.resources = resources;
  if (threads > 0) config.threads = threads;
  config.dev = config.dev || dev;
  veil::app::set_up_logging(config);

  if (serve->parsed()) return veil::app::run_serve(config);
  if (migrate->parsed()) return veil::app::run_migrate(config);
  if (audit_verify->parsed()) return veil::app::run_audit_verify(config);
  if (counts->parsed()) return veil::app::run_personal_row_counts(config);
  if (schema->parsed()) return veil::app::run_schema_check(config);
  if (sweep->parsed()) return veil::app::run_sweep(config);
  if (rotate->parsed()) return veil::app::run_rotate_master_key(config);
  if (staff->parsed()) return veil::app::run_grant_staff(config, staff_account);
  if (render->parsed()) return veil::app::run_policy_render(config, document, lang);
  return 1;
}
