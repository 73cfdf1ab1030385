#pragma once
// The consent ledger (PRIVACY_ENGINE §2): append-only, one hash chain per subject. The current
// consent of a subject is the fold of their records; nothing is ever updated in place, so the
// ledger also proves what was consented to at any earlier moment.
#include <map>
#include <optional>
#include <string>
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

class ConsentLedger {
 public:
  ConsentLedger(const DataMap& map, const Clock& clock) : map_(map), clock_(clock) {}

  // Validates against the data map (purposes exist and are consent-based; an acceptance grants
  // every necessary one) and appends a chained record.
  Result<ConsentRecord> record(store::Session& s, const ConsentChange& change);
  Result<std::vector<ConsentRecord>> history(store::Session& s, const std::string& subject) const;
  Result<ConsentState> state(store::Session& s, const std::string& subject) const;
  // The first sequence number whose link does not hold, if any.
  Result<std::optional<std::int64_t>> verify(store::Session& s, const std::string& subject) const;

 private:
  const DataMap& map_;
  const Clock& clock_;
};

}  // namespace veil::engine
