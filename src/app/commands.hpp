#pragma once
// The `veil` subcommands. Each returns the process exit code.
#include <string>

#include "app/config.hpp"

namespace veil::app {

int run_serve(Config config);
int run_migrate(Config config);
int run_audit_verify(Config config);
int run_personal_row_counts(Config config);
int run_schema_check(Config config);
int run_sweep(Config config);  // deletes what has passed its retention; prints the counts (JSON)
int run_rotate_master_key(Config config);
int run_grant_staff(Config config, const std::string& account_id);
int run_policy_render(Config config, const std::string& document, const std::string& lang);

// Logs to stderr and <data_dir>/logs/veil.log. Log lines carry pseudonymous ids only.
void set_up_logging(const Config& config);

}  // namespace veil::app
