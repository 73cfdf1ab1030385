#include "modules/accounts/guardian_service.hpp"

namespace veil::accounts {

Status GuardianService::check_waiting(store::Session& s, const std::string& child_id,
                                      const Pi<std::string>& guardian_phone) const {
  AccountRow row = VEIL_TRY(accounts_.account(s, child_id));
  if (row.status != AccountStatus::AwaitingGuardian) return Error{ErrorCode::Conflict, "guardian_not_needed", ""};
  // The guardian must be someone else: the child's own number proves nothing.
  auto same = VEIL_TRY(accounts_.records().by_phone(s, guardian_phone));
  if (same && same->id == child_id) return Error::invalid("guardian_phone_same");
  return {};
}

Result<OtpService::Issued> GuardianService::send_code(const std::string& child_id, const Pi<std::string>& guardian_phone,
                                                      const std::string& client_address) {
  VEIL_TRY(db_.with_session([&](store::Session& s) { return check_waiting(s, child_id, guardian_phone); }));
  return otp_.issue(guardian_phone, CodePurpose::Guardian, client_address);
}

Result<Me> GuardianService::consent(const std::string& child_id, const Pi<std::string>& guardian_phone,
                                    std::string_view code, bool agree, const std::string& client_address) {
  if (!agree) return Error::invalid("guardian_agreement_required");
  struct Outcome {
    std::optional<CodeCheck> failed;
    Me me;
  };
  auto outcome = VEIL_TRY(store::transact<Outcome>(db_, [&](store::Session& s) -> Result<Outcome> {
    VEIL_TRY(check_waiting(s, child_id, guardian_phone));
    CodeCheck check = VEIL_TRY(otp_.check(s, guardian_phone, CodePurpose::Guardian, code));
    if (check != CodeCheck::Ok) return Outcome{check, {}};
    auto& fields = engine_.fields();
    std::string guardian_index = VEIL_TRY(fields.index_of("guardian.phone_index", guardian_phone.reveal()));
    std::string guardian_ref = "guardian:" + guardian_index.substr(0, 16);
    // The guardian accepts the policy for the child, with what the child chose plus the
    // separate consent for processing a child's information.
    engine::ConsentState current = VEIL_TRY(engine_.consent().state(s, child_id));
    std::vector<std::string> purposes = {"guardian_consent"};
    for (const auto& [purpose, since] : current.granted) purposes.push_back(purpose);
    auto record = VEIL_TRY(engine_.consent().record(
        s, {child_id, engine_.map().version(), engine::ConsentAction::Accept, purposes, "guardian", guardian_ref}));
    VEIL_TRY(engine_.audit().append(s, {guardian_ref, "consent.guardian", child_id, {{"seq", record.seq}}}));
    store::Value index = VEIL_TRY(fields.encode(s, child_id, "guardian_consent", "guardian.phone_index", guardian_phone.reveal()));
    store::Value phone = VEIL_TRY(fields.encode(s, child_id, "guardian_consent", "guardian.phone", guardian_phone.reveal()));
    Millis now = clock_.now();
    VEIL_TRY(s.execute(
        "INSERT INTO guardian_consents (account_id, guardian_phone_bidx, guardian_phone_cipher, consented_at) VALUES (?, ?, ?, ?)",
        {store::Value{child_id}, index, phone, store::Value{now}}));
    VEIL_TRY(s.execute("UPDATE accounts SET status = 'active', updated_at = ? WHERE id = ?",
                       {store::Value{now}, store::Value{child_id}}));
    VEIL_TRY(accounts_.records().log_security_event(s, child_id, "guardian_consent", client_address, now));
    return Outcome{std::nullopt, VEIL_TRY(accounts_.records().me(s, child_id))};
  }));
  if (outcome.failed) return code_check_error(*outcome.failed);
  return std::move(outcome.me);
}

}  // namespace veil::accounts
