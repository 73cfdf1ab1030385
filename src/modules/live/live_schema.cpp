#include "modules/live/live_schema.hpp"

namespace veil::live {

std::vector<store::Migration> live_migrations() {
  return {
      {401, "live: streamer applications", R"(
CREATE TABLE streamer_applications (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                                    name_cipher BLOB NOT NULL, scope TEXT NOT NULL, intro TEXT NOT NULL,
                                    status TEXT NOT NULL, reason TEXT, submitted_at BIGINT NOT NULL,
                                    decided_at BIGINT, decided_by TEXT);
CREATE INDEX streamer_applications_by_account ON streamer_applications (account_id, submitted_at);
CREATE INDEX streamer_applications_by_status ON streamer_applications (status, submitted_at);
)"},
  };
}

}  // namespace veil::live
