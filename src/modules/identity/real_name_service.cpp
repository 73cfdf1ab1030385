#include "modules/identity/real_name_service.hpp"

#include "modules/identity/person_name.hpp"
#include "modules/identity/resident_id.hpp"

namespace veil::identity {

namespace {
constexpr std::string_view kPurpose = "real_name";

std::string iso_date(const accounts::CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}
}  // namespace

RealNameService::RealNameService(store::Database& db, engine::Engine& engine, accounts::AccountService& accounts,
                                 FaceProvider& faces, const Clock& clock)
    : db_(db), engine_(engine), accounts_(accounts), faces_(faces), clock_(clock), attempts_(clock, 5, 24 * 60 * kMinute) {}

RealNameStatus RealNameService::status_of(const std::optional<Stored>& stored) {
  RealNameStatus st;
  if (!stored) return st;
  st.verified = true;
  st.name_masked = mask_person_name(stored->name);
  st.id_number_masked = mask_resident_id(stored->id_number);
  st.verified_at = stored->verified_at;
  st.face_checked_at = stored->face_checked_at;
  return st;
}

Result<std::optional<RealNameService::Stored>> RealNameService::stored(store::Session& s, const std::string& account_id) {
  auto rows = VEIL_TRY(s.query(
      "SELECT name_cipher, id_number_cipher, verified_at, face_checked_at FROM real_name_verifications "
      "WHERE account_id = ? AND name_cipher IS NOT NULL AND id_number_cipher IS NOT NULL",
      {store::Value{account_id}}));
  if (rows.empty()) return std::optional<Stored>();
  auto& fields = engine_.fields();
  auto name = VEIL_TRY(fields.decode(s, account_id, kPurpose, "real_name.name", rows[0].at(0)));
  auto number = VEIL_TRY(fields.decode(s, account_id, kPurpose, "real_name.id_number", rows[0].at(1)));
  if (!name || !number) return std::optional<Stored>();
  return std::optional<Stored>(Stored{std::move(*name), std::move(*number), rows[0].integer(2), rows[0].integer(3)});
}

Result<Pi<std::string>> RealNameService::phone_of(store::Session& s, const std::string& account_id) {
  auto rows = VEIL_TRY(s.query("SELECT phone_cipher FROM accounts WHERE id = ?", {store::Value{account_id}}));
  if (rows.empty()) return Error{ErrorCode::Unauthenticated, "session_invalid", "account gone"};
  auto phone = VEIL_TRY(engine_.fields().decode(s, account_id, kPurpose, "account.phone", rows[0].at(0)));
  if (!phone) return Error::internal("account without a phone number");
  return std::move(*phone);
}

Result<RealNameStatus> RealNameService::status(const std::string& account_id) {
  return store::read<RealNameStatus>(db_, [&](store::Session& s) -> Result<RealNameStatus> {
    VEIL_TRY(accounts_.account(s, account_id));
    // Without the consent nothing is read back (and a withdrawal has erased it anyway).
    if (!engine_.fields().check(s, account_id, kPurpose, "real_name.name").ok()) return RealNameStatus{};
    return status_of(VEIL_TRY(stored(s, account_id)));
  });
}

Result<bool> RealNameService::is_verified(store::Session& s, const std::string& account_id) const {
  auto rows = VEIL_TRY(s.query(
      "SELECT 1 FROM real_name_verifications WHERE account_id = ? AND name_cipher IS NOT NULL AND id_number_cipher IS NOT NULL",
      {store::Value{account_id}}));
  if (rows.empty()) return false;
  return engine_.fields().check(s, account_id, kPurpose, "real_name.name").ok();
}

Result<bool> RealNameService::is_verified(const std::string& account_id) {
  return store::read<bool>(db_, [&](store::Session& s) { return is_verified(s, account_id); });
}

Result<std::optional<Pi<std::string>>> RealNameService::verified_name(store::Session& s, const std::string& account_id) {
  if (!engine_.fields().check(s, account_id, kPurpose, "real_name.name").ok()) return std::optional<Pi<std::string>>();
  auto st = VEIL_TRY(stored(s, account_id));
  if (!st) return std::optional<Pi<std::string>>();
  return std::optional<Pi<std::string>>(std::move(st->name));
}

Status RealNameService::compare_face(const FaceClaim& claim, const std::string& account_id) {
  if (!attempts_.allow(account_id))
    return Error::exhausted("real_name_attempts_exceeded", attempts_.retry_after(account_id));
  bool match = VEIL_TRY(faces_.matches(claim));
  if (!match) {
    VEIL_TRY(db_.with_session([&](store::Session& s) -> Status {
      VEIL_TRY(engine_.audit().append(s, {account_id, "real_name.face_mismatch", account_id}));
      return {};
    }));
    return Error::invalid("face_mismatch");
  }
  return {};
}

Result<RealNameStatus> RealNameService::verify(const std::string& account_id, std::string_view name_input,
                                               std::string_view id_input, const SecretBytes& photo) {
  accounts::CivilDate today = accounts::civil_date_of(clock_.now());
  ResidentId id = VEIL_TRY(parse_resident_id(id_input, today));
  Pi<std::string> name = VEIL_TRY(parse_person_name(name_input));
  int age = accounts::age_on(id.birth, today);
  auto& fields = engine_.fields();

  // Before anything leaves the platform: consent, not yet verified, ID unused, and the age rule.
  struct Checked {
    bool needs_guardian = false;
    std::optional<Pi<std::string>> phone;
  };
  Checked checked = VEIL_TRY(store::transact<Checked>(db_, [&](store::Session& s) -> Result<Checked> {
    accounts::AccountRow row = VEIL_TRY(accounts_.account(s, account_id));
    VEIL_TRY(accounts::AccountRecords::require_active(row));
    for (auto field : {"real_name.name", "real_name.id_number", "real_name.id_index", "real_name.face"})
      VEIL_TRY(fields.check(s, account_id, kPurpose, field));
    if (VEIL_TRY(stored(s, account_id))) return Error{ErrorCode::Conflict, "real_name_already_verified", ""};
    std::string index = VEIL_TRY(fields.index_of("real_name.id_index", id.number.reveal()));
    if (!VEIL_TRY(s.query("SELECT 1 FROM real_name_verifications WHERE id_number_bidx = ?", {store::Value{index}})).empty())
      return Error{ErrorCode::Conflict, "id_number_in_use", ""};
    bool guarded = !VEIL_TRY(s.query("SELECT 1 FROM guardian_consents WHERE account_id = ?", {store::Value{account_id}})).empty();
    if (age < accounts::kGuardianAge && !guarded) {
      // The ID says under 14: the child's age is recorded (a legal obligation) and the account
      // waits for a guardian; nothing else about the child is kept or sent anywhere.
      store::Value birth = VEIL_TRY(fields.encode(s, account_id, "age_check", "account.birth_date", iso_date(id.birth)));
      VEIL_TRY(s.execute("UPDATE accounts SET birth_date_cipher = ?, minor = 1, status = 'awaiting_guardian', updated_at = ? WHERE id = ?",
                         {birth, store::Value{clock_.now()}, store::Value{account_id}}));
      VEIL_TRY(engine_.audit().append(s, {account_id, "real_name.guardian_needed", account_id}));
      return Checked{true, std::nullopt};
    }
    return Checked{false, VEIL_TRY(phone_of(s, account_id))};
  }));
  if (checked.needs_guardian) return Error{ErrorCode::PermissionDenied, "guardian_consent_required", "under 14 by the ID number"};

  VEIL_TRY(compare_face({name, id.number, *checked.phone, photo}, account_id));

  return store::transact<RealNameStatus>(db_, [&](store::Session& s) -> Result<RealNameStatus> {
    Millis now = clock_.now();
    store::Value name_cipher = VEIL_TRY(fields.encode(s, account_id, kPurpose, "real_name.name", name.reveal()));
    store::Value id_cipher = VEIL_TRY(fields.encode(s, account_id, kPurpose, "real_name.id_number", id.number.reveal()));
    store::Value index = VEIL_TRY(fields.encode(s, account_id, kPurpose, "real_name.id_index", id.number.reveal()));
    // A verification whose name and number a withdrawal erased is replaced. The primary key and
    // the unique index settle a race between two verifications.
    VEIL_TRY(s.execute("DELETE FROM real_name_verifications WHERE account_id = ? AND name_cipher IS NULL",
                       {store::Value{account_id}}));
    auto inserted = s.execute(
        "INSERT INTO real_name_verifications (account_id, name_cipher, id_number_cipher, id_number_bidx, verified_at, face_checked_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {store::Value{account_id}, name_cipher, id_cipher, index, store::Value{now}, store::Value{now}});
    if (!inserted.ok()) return Error{ErrorCode::Conflict, "id_number_in_use", "insert refused"};
    store::Value birth = VEIL_TRY(fields.encode(s, account_id, "age_check", "account.birth_date", iso_date(id.birth)));
    VEIL_TRY(s.execute("UPDATE accounts SET birth_date_cipher = ?, minor = ?, updated_at = ? WHERE id = ?",
                       {birth, store::Value{std::int64_t{age < accounts::kAdultAge}}, store::Value{now}, store::Value{account_id}}));
    VEIL_TRY(engine_.audit().append(s, {account_id, "real_name.verified", account_id}));
    return status_of(VEIL_TRY(stored(s, account_id)));
  });
}

Result<RealNameStatus> RealNameService::recheck_face(const std::string& account_id, const SecretBytes& photo) {
  struct Claim {
    Stored stored;
    Pi<std::string> phone;
  };
  Claim claim = VEIL_TRY(store::read<Claim>(db_, [&](store::Session& s) -> Result<Claim> {
    accounts::AccountRow row = VEIL_TRY(accounts_.account(s, account_id));
    VEIL_TRY(accounts::AccountRecords::require_active(row));
    VEIL_TRY(engine_.fields().check(s, account_id, kPurpose, "real_name.face"));
    auto st = VEIL_TRY(stored(s, account_id));
    if (!st) return Error{ErrorCode::Conflict, "real_name_required", ""};
    return Claim{std::move(*st), VEIL_TRY(phone_of(s, account_id))};
  }));
  VEIL_TRY(compare_face({claim.stored.name, claim.stored.id_number, claim.phone, photo}, account_id));
  return store::transact<RealNameStatus>(db_, [&](store::Session& s) -> Result<RealNameStatus> {
    VEIL_TRY(s.execute("UPDATE real_name_verifications SET face_checked_at = ? WHERE account_id = ?",
                       {store::Value{clock_.now()}, store::Value{account_id}}));
    VEIL_TRY(engine_.audit().append(s, {account_id, "real_name.face_checked", account_id}));
    return status_of(VEIL_TRY(stored(s, account_id)));
  });
}

}  // namespace veil::identity
