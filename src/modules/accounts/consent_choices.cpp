#include "modules/accounts/consent_choices.hpp"

#include "engine/access/withdrawal.hpp"

namespace veil::accounts {

using nlohmann::json;

Result<json> ConsentChoices::overview_in(store::Session& s, const std::string& account_id) {
  engine::ConsentState state = VEIL_TRY(engine_.consent().state(s, account_id));
  json purposes = json::array();
  for (const auto& p : engine_.map().purposes()) {
    if (!p.needs_consent()) continue;
    auto granted = state.granted.find(p.id);
    purposes.push_back({{"id", p.id},
                        {"granted", granted != state.granted.end()},
                        {"necessary", p.necessary},
                        {"given_by", p.given_by_guardian() ? "guardian" : "person"},
                        {"at", granted != state.granted.end() ? json(granted->second) : json(nullptr)}});
  }
  json records = json::array();
  for (const auto& r : VEIL_TRY(engine_.consent().history(s, account_id)))
    records.push_back({{"seq", r.seq}, {"action", engine::to_string(r.action)}, {"purposes", r.purposes},
                       {"channel", r.channel}, {"at", r.at}, {"hash", r.hash}, {"policy_version", r.policy_version}});
  return json{{"policy_version", state.policy_version}, {"purposes", purposes}, {"records", records}};
}

Result<json> ConsentChoices::overview(const std::string& account_id) {
  return store::read<json>(db_, [&](store::Session& s) { return overview_in(s, account_id); });
}

Result<json> ConsentChoices::change(const std::string& account_id, const std::vector<std::string>& grant,
                                    const std::vector<std::string>& withdraw) {
  if (grant.empty() && withdraw.empty()) return Error::invalid("nothing_to_change");
  return store::transact<json>(db_, [&](store::Session& s) -> Result<json> {
    AccountRow row = VEIL_TRY(accounts_.account(s, account_id));
    const std::string& version = engine_.map().version();
    if (!grant.empty()) {
      // New consents for a child wait for the guardian, like every other new processing.
      VEIL_TRY(AccountRecords::require_active(row));
      auto r = VEIL_TRY(engine_.consent().record(s, {account_id, version, engine::ConsentAction::Grant, grant, "web", account_id}));
      VEIL_TRY(engine_.audit().append(s, {account_id, "consent.grant", account_id, {{"seq", r.seq}, {"purposes", r.purposes}}}));
    }
    if (!withdraw.empty()) {
      auto r = VEIL_TRY(engine_.consent().record(s, {account_id, version, engine::ConsentAction::Withdraw, withdraw, "web", account_id}));
      VEIL_TRY(engine_.audit().append(s, {account_id, "consent.withdraw", account_id, {{"seq", r.seq}, {"purposes", r.purposes}}}));
      for (const auto& purpose : withdraw) VEIL_TRY(engine::erase_after_withdrawal(s, engine_.map(), engine_.consent(), account_id, purpose));
    }
    return overview_in(s, account_id);
  });
}

Result<json> ConsentChoices::receipt(const std::string& account_id, std::int64_t seq) {
  return store::read<json>(db_, [&](store::Session& s) -> Result<json> {
    // Only the subject's own records are reachable: the lookup is by (subject, seq).
    for (const auto& r : VEIL_TRY(engine_.consent().history(s, account_id))) {
      if (r.seq != seq) continue;
      auto published = VEIL_TRY(s.query("SELECT text_sha256 FROM policy_versions WHERE version = ?",
                                        {store::Value{r.policy_version}}));
      std::string text_hash = published.empty() ? std::string() : published[0].text(0);
      return engine_.receipts().receipt(r, engine_.map(), engine_.documents(), text_hash);
    }
    return Error{ErrorCode::NotFound, "receipt_not_found", ""};
  });
}

}  // namespace veil::accounts
