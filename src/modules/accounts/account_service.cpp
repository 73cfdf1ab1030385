#include "modules/accounts/account_service.hpp"

#include <sodium.h>

#include "modules/accounts/birth_date.hpp"

namespace veil::accounts {

namespace {
// Argon2id at libsodium's interactive limits: ~0.1 s and 64 MiB per guess.
constexpr auto kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr auto kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
constexpr std::size_t kPasswordMin = 8;
constexpr std::size_t kPasswordMax = 128;

Result<std::string> hash_password(const Pi<std::string>& password) {
  char out[crypto_pwhash_STRBYTES];
  const std::string& p = password.reveal();
  if (crypto_pwhash_str(out, p.data(), p.size(), kOpsLimit, kMemLimit) != 0)
    return Error{ErrorCode::Unavailable, "server_busy", "argon2id out of memory"};
  return std::string(out);
}

bool password_matches(const std::string& stored, const Pi<std::string>& password) {
  const std::string& p = password.reveal();
  return crypto_pwhash_str_verify(stored.c_str(), p.data(), p.size()) == 0;
}
}  // namespace

AccountService::AccountService(store::Database& db, engine::Engine& engine, OtpService& otp, const Clock& clock)
    : db_(db),
      engine_(engine),
      otp_(otp),
      clock_(clock),
      records_(engine),
      sessions_(engine, clock),
      password_limiter_(clock, 5, 15 * kMinute) {
  auto dummy = hash_password(Pi<std::string>(random_id()));
  dummy_password_hash_ = dummy.ok() ? dummy.value() : std::string();
}

Result<AccountRow> AccountService::account(store::Session& s, const std::string& account_id) const {
  auto row = VEIL_TRY(records_.by_id(s, account_id));
  if (!row) return Error{ErrorCode::Unauthenticated, "session_invalid", "account gone"};
  return std::move(*row);
}

Result<SignedIn> AccountService::finish_sign_in(store::Session& s, const std::string& id, bool created,
                                                std::string_view kind, const std::string& client_address) {
  SignedIn out;
  out.token = VEIL_TRY(sessions_.create(s, id));
  out.created = created;
  VEIL_TRY(records_.log_security_event(s, id, kind, client_address, clock_.now()));
  out.me = VEIL_TRY(records_.me(s, id));
  return out;
}

Result<SignedIn> AccountService::sign_in_with_code(const SignInWithCode& request) {
  std::optional<CivilDate> birth;
  if (request.birth_date) {
    birth = parse_birth_date(*request.birth_date);
    if (!birth || age_on(*birth, civil_date_of(clock_.now())) < 0) return Error::invalid("birth_date_invalid");
  }
  if (request.consent && request.consent->policy_version != engine_.map().version())
    return Error{ErrorCode::Conflict, "policy_outdated", "accepted " + request.consent->policy_version};

  struct Outcome {
    std::optional<CodeCheck> failed;  // committed: a wrong guess must count
    SignedIn signed_in;
  };
  auto outcome = VEIL_TRY(store::transact<Outcome>(db_, [&](store::Session& s) -> Result<Outcome> {
    CodeCheck check = VEIL_TRY(otp_.check(s, request.phone, CodePurpose::Login, request.code));
    if (check != CodeCheck::Ok) return Outcome{check, {}};
    if (auto existing = VEIL_TRY(records_.by_phone(s, request.phone)))
      return Outcome{std::nullopt, VEIL_TRY(finish_sign_in(s, existing->id, false, "login", request.client_address))};

    // A new account. Returning an error here rolls back, so the code stays usable for a retry
    // that carries the consent.
    if (!request.consent) return Error{ErrorCode::ConsentRequired, "consent_required", "registration needs the policy"};
    const std::string id = random_id();
    auto& fields = engine_.fields();
    auto accepted = VEIL_TRY(engine_.consent().record(
        s, {id, request.consent->policy_version, engine::ConsentAction::Accept, request.consent->purposes, "web", id}));
    VEIL_TRY(engine_.audit().append(s, {id, "consent.accept", id, {{"seq", accepted.seq}, {"policy_version", accepted.policy_version}}}));
    store::Value index = VEIL_TRY(fields.encode(s, id, "login", "account.phone_index", request.phone.reveal()));
    store::Value phone = VEIL_TRY(fields.encode(s, id, "login", "account.phone", request.phone.reveal()));
    store::Value birth_cipher = store::Value{store::Null{}};
    int age = kAdultAge;
    if (birth) {
      birth_cipher = VEIL_TRY(fields.encode(s, id, "age_check", "account.birth_date", *request.birth_date));
      age = age_on(*birth, civil_date_of(clock_.now()));
    }
    // [004] 六(一): under 14 the account exists but waits for a guardian before anything more.
    AccountStatus status = age < kGuardianAge ? AccountStatus::AwaitingGuardian : AccountStatus::Active;
    Millis now = clock_.now();
    VEIL_TRY(s.execute(
        "INSERT INTO accounts (id, phone_bidx, phone_cipher, password_hash, birth_date_cipher, minor, status, created_at, updated_at) "
        "VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)",
        {store::Value{id}, index, phone, birth_cipher, store::Value{std::int64_t{age < kAdultAge ? 1 : 0}},
         store::Value{std::string(to_string(status))}, store::Value{now}, store::Value{now}}));
    VEIL_TRY(fields.check(s, id, "login", "account.roles"));
    VEIL_TRY(s.execute("INSERT INTO account_roles (account_id, role, granted_at) VALUES (?, 'viewer', ?)",
                       {store::Value{id}, store::Value{now}}));
    return Outcome{std::nullopt, VEIL_TRY(finish_sign_in(s, id, true, "register", request.client_address))};
  }));
  if (outcome.failed) return code_check_error(*outcome.failed);
  return std::move(outcome.signed_in);
}

Result<SignedIn> AccountService::sign_in_with_password(const Pi<std::string>& phone, const Pi<std::string>& password,
                                                       const std::string& client_address) {
  std::string index = VEIL_TRY(engine_.fields().index_of("account.phone_index", phone.reveal()));
  if (!password_limiter_.allow(index)) return Error::exhausted("rate_limited", password_limiter_.retry_after(index));
  auto row = VEIL_TRY(store::read<std::optional<AccountRow>>(db_, [&](store::Session& s) { return records_.by_phone(s, phone); }));
  bool ok = false;
  if (row && row->has_password) ok = password_matches(row->password_hash, password);
  else (void)password_matches(dummy_password_hash_, password);  // same work whether or not the account exists
  if (!ok) return Error{ErrorCode::Unauthenticated, "credentials_invalid", ""};
  return store::transact<SignedIn>(db_, [&](store::Session& s) {
    return finish_sign_in(s, row->id, false, "login_password", client_address);
  });
}

Status AccountService::set_password(const std::string& account_id, const Pi<std::string>& password) {
  const std::size_t length = password.reveal().size();
  if (length < kPasswordMin) return Error::invalid("password_too_short");
  if (length > kPasswordMax) return Error::invalid("password_too_long");
  std::string hashed = VEIL_TRY(hash_password(password));
  return db_.transaction([&](store::Session& s) -> Status {
    AccountRow row = VEIL_TRY(account(s, account_id));
    VEIL_TRY(AccountRecords::require_active(row));
    VEIL_TRY(engine_.fields().check(s, account_id, "login", "account.password"));
    VEIL_TRY(s.execute("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?",
                       {store::Value{hashed}, store::Value{clock_.now()}, store::Value{account_id}}));
    return records_.log_security_event(s, account_id, "password_set", "", clock_.now());
  });
}

Result<std::string> AccountService::authenticate(std::string_view token) {
  return store::read<std::string>(db_, [&](store::Session& s) { return sessions_.resolve(s, token); });
}

Status AccountService::log_out(std::string_view token, const std::string& client_address) {
  return db_.transaction([&](store::Session& s) -> Status {
    std::string id = VEIL_TRY(sessions_.resolve(s, token));
    VEIL_TRY(sessions_.revoke(s, token));
    return records_.log_security_event(s, id, "logout", client_address, clock_.now());
  });
}

Result<Me> AccountService::me(const std::string& account_id) {
  return store::read<Me>(db_, [&](store::Session& s) { return records_.me(s, account_id); });
}

Status AccountService::grant_staff(const std::string& account_id, const std::string& actor) {
  return db_.transaction([&](store::Session& s) -> Status {
    if (!VEIL_TRY(records_.by_id(s, account_id))) return Error{ErrorCode::NotFound, "account_not_found", ""};
    VEIL_TRY(s.execute("INSERT INTO account_roles (account_id, role, granted_at) VALUES (?, 'staff', ?) ON CONFLICT DO NOTHING",
                       {store::Value{account_id}, store::Value{clock_.now()}}));
    VEIL_TRY(engine_.audit().append(s, {actor, "account.staff_granted", account_id}));
    return {};
  });
}

}  // namespace veil::accounts
