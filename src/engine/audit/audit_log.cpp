#include "engine/audit/audit_log.hpp"

#include "engine/audit/chain_hash.hpp"

namespace veil::engine {

namespace {
nlohmann::json fields_of(std::int64_t seq, std::int64_t at, const std::string& actor, const std::string& action,
                         const std::string& target, const std::string& detail) {
  return nlohmann::json::array({seq, at, actor, action, target, detail});
}
}  // namespace

std::string AuditLog::link(const nlohmann::json& fields, const std::string& prev) const {
  return vault_.secret_hash("audit-chain", nlohmann::json::array({fields, prev}).dump());
}

Result<std::int64_t> AuditLog::append(store::Session& s, const AuditEntry& entry) {
  VEIL_TRY(s.lock_chain("audit_log"));
  auto head = VEIL_TRY(s.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {}));
  std::int64_t seq = head.empty() ? 1 : head[0].integer(0) + 1;
  std::string prev = head.empty() ? kGenesisHash : head[0].text(1);
  std::int64_t at = clock_.now();
  std::string detail = entry.detail.dump();
  std::string hash = link(fields_of(seq, at, entry.actor, entry.action, entry.target, detail), prev);
  VEIL_TRY(s.execute(
      "INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {store::Value{seq}, store::Value{at}, store::Value{entry.actor}, store::Value{entry.action},
       store::Value{entry.target}, store::Value{detail}, store::Value{prev}, store::Value{hash}}));
  return seq;
}

Result<AuditVerdict> AuditLog::verify(store::Session& s) const {
  auto rows = VEIL_TRY(s.query(
      "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq", {}));
  AuditVerdict verdict;
  std::string prev = kGenesisHash;
  std::int64_t expected = 1;
  for (const auto& r : rows) {
    std::int64_t seq = r.integer(0);
    auto broken = [&](std::int64_t at_seq, std::string why) {
      verdict.broken_at = at_seq;
      verdict.reason = std::move(why);
      return verdict;
    };
    if (seq != expected)
      return broken(expected, seq > expected ? "entry " + std::to_string(expected) + " is missing (removed)"
                                             : "sequence goes backwards at " + std::to_string(seq));
    if (r.text(6) != prev) return broken(seq, "previous-hash link does not match entry " + std::to_string(seq - 1) + " (inserted or reordered)");
    std::string recomputed = link(fields_of(seq, r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5)), prev);
    if (recomputed != r.text(7)) return broken(seq, "content does not match its hash (edited)");
    prev = r.text(7);
    ++expected;
    ++verdict.entries;
  }
  return verdict;
}

}  // namespace veil::engine
