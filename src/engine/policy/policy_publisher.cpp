#include "engine/policy/policy_publisher.hpp"

namespace veil::engine {

Status publish_policy(store::Database& db, const DataMap& map, const PolicyDocuments& documents, AuditLog& audit,
                      const Clock& clock) {
  return db.transaction([&](store::Session& s) -> Status {
    auto rows = VEIL_TRY(s.query("SELECT text_sha256 FROM policy_versions WHERE version = ?", {store::Value{map.version()}}));
    if (!rows.empty()) {
      if (rows[0].text(0) != documents.text_sha256())
        return Error{ErrorCode::Conflict, "policy_version_reused",
                     "the data map or policy text changed but `version` is still " + map.version() +
                         ": give the change a new version in datamap/datamap.toml"};
      return {};
    }
    VEIL_TRY(s.execute("INSERT INTO policy_versions (version, text_sha256, published_at, material) VALUES (?, ?, ?, ?)",
                       {store::Value{map.version()}, store::Value{documents.text_sha256()}, store::Value{clock.now()},
                        store::Value{std::int64_t{1}}}));
    VEIL_TRY(audit.append(s, AuditEntry{"system", "policy.published", map.version(),
                                        {{"text_sha256", documents.text_sha256()}}}));
    return {};
  });
}

}  // namespace veil::engine
