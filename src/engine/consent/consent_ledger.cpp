#include "engine/consent/consent_ledger.hpp"

#include <algorithm>
#include <mutex>

#include <nlohmann/json.hpp>

#include "engine/audit/chain_hash.hpp"

namespace veil::engine {

std::string_view to_string(ConsentAction a) {
  switch (a) {
    case ConsentAction::Accept: return "accept";
    case ConsentAction::Grant: return "grant";
    case ConsentAction::Withdraw: return "withdraw";
  }
  return "grant";
}

namespace {

std::optional<ConsentAction> parse_action(std::string_view text) {
  if (text == "accept") return ConsentAction::Accept;
  if (text == "grant") return ConsentAction::Grant;
  if (text == "withdraw") return ConsentAction::Withdraw;
  return std::nullopt;
}

nlohmann::json fields_of(const ConsentRecord& r) {
  return nlohmann::json::array({r.subject, r.seq, r.policy_version, std::string(to_string(r.action)), r.purposes,
                                r.channel, r.actor, r.at});
}

ConsentRecord from_row(const store::Row& row) {
  ConsentRecord r;
  r.subject = row.text(0);
  r.seq = row.integer(1);
  r.policy_version = row.text(2);
  r.action = parse_action(row.text(3)).value_or(ConsentAction::Grant);
  r.purposes = nlohmann::json::parse(row.text(4), nullptr, false).get<std::vector<std::string>>();
  r.channel = row.text(5);
  r.actor = row.text(6);
  r.at = row.integer(7);
  r.prev_hash = row.text(8);
  r.hash = row.text(9);
  return r;
}

constexpr const char* kSelect =
    "SELECT subject_id, seq, policy_version, action, purposes, channel, actor, at, prev_hash, hash "
    "FROM consent_records WHERE subject_id = ? ORDER BY seq";

}  // namespace

Result<ConsentRecord> ConsentLedger::record(store::Session& s, const ConsentChange& change) {
  for (const auto& id : change.purposes) {
    const Purpose* p = map_.purpose(id);
    if (!p) return Error::invalid("purpose_unknown", "unknown purpose " + id);
    if (!p->needs_consent()) return Error::invalid("purpose_not_consent_based", id + " does not rest on consent");
    if (p->given_by_guardian() && change.channel != "guardian")
      return Error{ErrorCode::PermissionDenied, "consent_by_guardian_only", id};
  }
  if (change.action == ConsentAction::Accept) {
    for (const auto& p : map_.purposes()) {
      if (p.necessary && p.needs_consent() &&
          std::find(change.purposes.begin(), change.purposes.end(), p.id) == change.purposes.end())
        return Error{ErrorCode::ConsentRequired, "consent_required", "necessary purpose " + p.id + " not granted"};
    }
  }
  if (change.action == ConsentAction::Withdraw) {
    for (const auto& id : change.purposes)
      if (map_.purpose(id)->necessary)
        return Error{ErrorCode::Conflict, "consent_necessary", id + " is necessary: cancel the account instead"};
  }
  VEIL_TRY(s.lock_chain("consent:" + change.subject));
  if (cache_enabled_) {
    // Forget before writing: with a single writer whose reads wait for this transaction, nobody
    // can refill the entry with the old state, and a rollback only costs one re-read.
    std::unique_lock forget(states_mutex_);
    states_.erase(change.subject);
  }
  auto head = VEIL_TRY(s.query("SELECT seq, hash FROM consent_records WHERE subject_id = ? ORDER BY seq DESC LIMIT 1",
                               {store::Value{change.subject}}));
  ConsentRecord r;
  r.subject = change.subject;
  r.seq = head.empty() ? 1 : head[0].integer(0) + 1;
  r.policy_version = change.policy_version;
  r.action = change.action;
  r.purposes = change.purposes;
  std::sort(r.purposes.begin(), r.purposes.end());
  r.purposes.erase(std::unique(r.purposes.begin(), r.purposes.end()), r.purposes.end());
  r.channel = change.channel;
  r.actor = change.actor;
  r.at = clock_.now();
  r.prev_hash = head.empty() ? kGenesisHash : head[0].text(1);
  r.hash = chain_hash(fields_of(r), r.prev_hash);
  VEIL_TRY(s.execute(
      "INSERT INTO consent_records (subject_id, seq, policy_version, action, purposes, channel, actor, at, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {store::Value{r.subject}, store::Value{r.seq}, store::Value{r.policy_version},
       store::Value{std::string(to_string(r.action))}, store::Value{nlohmann::json(r.purposes).dump()},
       store::Value{r.channel}, store::Value{r.actor}, store::Value{r.at}, store::Value{r.prev_hash},
       store::Value{r.hash}}));
  return r;
}

Result<std::vector<ConsentRecord>> ConsentLedger::history(store::Session& s, const std::string& subject) const {
  auto rows = VEIL_TRY(s.query(kSelect, {store::Value{subject}}));
  std::vector<ConsentRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(from_row(row));
  return out;
}

Result<ConsentState> ConsentLedger::state(store::Session& s, const std::string& subject) const {
  if (cache_enabled_) {
    std::shared_lock lookup(states_mutex_);
    if (auto it = states_.find(subject); it != states_.end()) return it->second;
  }
  ConsentState st = VEIL_TRY(read_state(s, subject));
  if (cache_enabled_) {
    std::unique_lock remember(states_mutex_);
    constexpr std::size_t kMaxCachedStates = 100'000;  // bounded, like the vault's key cache
    if (states_.size() >= kMaxCachedStates) states_.erase(states_.begin());
    states_.insert_or_assign(subject, st);
  }
  return st;
}

Result<bool> ConsentLedger::has(store::Session& s, const std::string& subject, std::string_view purpose) const {
  if (cache_enabled_) {
    std::shared_lock lookup(states_mutex_);
    if (auto it = states_.find(subject); it != states_.end()) return it->second.has(purpose);
  }
  ConsentState st = VEIL_TRY(state(s, subject));
  return st.has(purpose);
}

Result<ConsentState> ConsentLedger::read_state(store::Session& s, const std::string& subject) const {
  ConsentState st;
  for (const auto& r : VEIL_TRY(history(s, subject))) {
    if (r.action == ConsentAction::Accept) {
      st.policy_version = r.policy_version;
      st.granted.clear();
    }
    for (const auto& p : r.purposes) {
      if (r.action == ConsentAction::Withdraw) st.granted.erase(p);
      else st.granted.emplace(p, r.at);
    }
  }
  return st;
}

Result<std::optional<std::int64_t>> ConsentLedger::verify(store::Session& s, const std::string& subject) const {
  std::string prev = kGenesisHash;
  std::int64_t expected = 1;
  for (const auto& r : VEIL_TRY(history(s, subject))) {
    if (r.seq != expected || r.prev_hash != prev || chain_hash(fields_of(r), prev) != r.hash)
      return std::optional<std::int64_t>(expected);
    prev = r.hash;
    ++expected;
  }
  return std::optional<std::int64_t>();
}

}  // namespace veil::engine
