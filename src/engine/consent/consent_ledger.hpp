#pragma once
// The consent ledger (PRIVACY_ENGINE §2): append-only, one hash chain per subject. The current
// consent of a subject is the fold of their records; nothing is ever updated in place, so the
// ledger also proves what was consented to at any earlier moment.
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/datamap/data_map.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace veil::engine {

enum class ConsentAction { Accept, Grant, Withdraw };
std::string_view to_string(ConsentAction a);

struct ConsentChange {
  std::string subject;
  std::string policy_version;
  ConsentAction action = ConsentAction::Grant;
  std::vector<std::string> purposes;  // for Accept: every consent-based purpose granted with it
  std::string channel;                // "web", "guardian", "api"
  std::string actor;                  // the subject, or a pseudonymous guardian reference
};

struct ConsentRecord {
  std::string subject;
  std::int64_t seq = 0;
  std::string policy_version;
  ConsentAction action = ConsentAction::Grant;
  std::vector<std::string> purposes;
  std::string channel;
  std::string actor;
  Millis at = 0;
  std::string prev_hash;
  std::string hash;
};

struct ConsentState {
  std::string policy_version;               // last policy accepted; empty if never
  std::map<std::string, Millis> granted;    // purpose -> since when
  bool has(std::string_view purpose) const { return granted.count(std::string(purpose)) > 0; }
};

// Whether the current consent of each subject may be kept in memory. Only exact when this process
// is the only writer and every read of the store is serialised with every write: the embedded
// SQLite backend. Several nodes on PostgreSQL read the ledger each time.
enum class ConsentStateCache { Off, SingleWriter };

class ConsentLedger {
 public:
  ConsentLedger(const DataMap& map, const Clock& clock, ConsentStateCache cache = ConsentStateCache::Off)
      : map_(map), clock_(clock), cache_enabled_(cache == ConsentStateCache::SingleWriter) {}

  // Validates against the data map (purposes exist and are consent-based; an acceptance grants
  // every necessary one) and appends a chained record.
  Result<ConsentRecord> record(store::Session& s, const ConsentChange& change);
  Result<std::vector<ConsentRecord>> history(store::Session& s, const std::string& subject) const;
  Result<ConsentState> state(store::Session& s, const std::string& subject) const;
  // Whether `purpose` is consented to now: the per-request check, cached when allowed.
  Result<bool> has(store::Session& s, const std::string& subject, std::string_view purpose) const;
  // The first sequence number whose link does not hold, if any.
  Result<std::optional<std::int64_t>> verify(store::Session& s, const std::string& subject) const;

 private:
  Result<ConsentState> read_state(store::Session& s, const std::string& subject) const;

  const DataMap& map_;
  const Clock& clock_;
  const bool cache_enabled_;
  mutable std::shared_mutex states_mutex_;
  mutable std::unordered_map<std::string, ConsentState> states_;  // guarded by states_mutex_
};

}  // namespace veil::engine
