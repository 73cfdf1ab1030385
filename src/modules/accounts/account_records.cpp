#include "modules/accounts/account_records.hpp"

#include "modules/accounts/phone_number.hpp"

namespace veil::accounts {

std::string_view to_string(AccountStatus s) { return s == AccountStatus::Active ? "active" : "awaiting_guardian"; }

namespace {
constexpr const char* kColumns = "SELECT id, status, minor, password_hash, created_at FROM accounts ";

AccountRow row_of(const store::Row& r) {
  AccountRow a;
  a.id = r.text(0);
  a.status = r.text(1) == "awaiting_guardian" ? AccountStatus::AwaitingGuardian : AccountStatus::Active;
  a.minor = r.integer(2) != 0;
  a.has_password = !r.is_null(3);
  a.password_hash = r.text(3);
  a.created_at = r.integer(4);
  return a;
}
}  // namespace

Result<std::optional<AccountRow>> AccountRecords::by_id(store::Session& s, const std::string& id) const {
  auto rows = VEIL_TRY(s.query(std::string(kColumns) + "WHERE id = ?", {store::Value{id}}));
  if (rows.empty()) return std::optional<AccountRow>();
  return std::optional<AccountRow>(row_of(rows[0]));
}

Result<std::optional<AccountRow>> AccountRecords::by_phone(store::Session& s, const Pi<std::string>& phone) const {
  std::string index = VEIL_TRY(engine_.fields().index_of("account.phone_index", phone.reveal()));
  auto rows = VEIL_TRY(s.query(std::string(kColumns) + "WHERE phone_bidx = ?", {store::Value{index}}));
  if (rows.empty()) return std::optional<AccountRow>();
  return std::optional<AccountRow>(row_of(rows[0]));
}

Result<Me> AccountRecords::me(store::Session& s, const std::string& id) const {
  auto& fields = engine_.fields();
  auto rows = VEIL_TRY(s.query("SELECT phone_cipher, status, minor, password_hash, created_at FROM accounts WHERE id = ?",
                               {store::Value{id}}));
  if (rows.empty()) return Error{ErrorCode::Unauthenticated, "session_invalid", "account gone"};
  Me me;
  me.id = id;
  auto phone = VEIL_TRY(fields.decode(s, id, "login", "account.phone", rows[0].at(0)));
  me.phone_masked = phone ? mask_phone(*phone) : "";
  me.status = rows[0].text(1) == "awaiting_guardian" ? AccountStatus::AwaitingGuardian : AccountStatus::Active;
  me.minor = rows[0].integer(2) != 0;
  me.has_password = !rows[0].is_null(3);
  me.created_at = rows[0].integer(4);
  for (const auto& r : VEIL_TRY(s.query("SELECT role FROM account_roles WHERE account_id = ? ORDER BY role", {store::Value{id}})))
    me.roles.push_back(r.text(0));
  // The profile is shown only while its consent stands: withdrawal stops the processing.
  if (fields.check(s, id, "profile", "profile.nickname").ok()) {
    me.profile_consent = true;
    auto profile = VEIL_TRY(s.query(
        "SELECT nickname, gender, hometown, industry, intro, avatar_url FROM profiles WHERE account_id = ?", {store::Value{id}}));
    const auto& keys = profile_keys();
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::string field = "profile." + (keys[i] == "avatar_url" ? std::string("avatar") : keys[i]);
      me.profile[keys[i]] = profile.empty() ? std::nullopt
                                            : VEIL_TRY(fields.decode(s, id, "profile", field, profile[0].at(i)));
    }
  }
  return me;
}

Status AccountRecords::log_security_event(store::Session& s, const std::string& id, std::string_view kind,
                                          const std::string& client_address, Millis at) const {
  store::Value ip = VEIL_TRY(engine_.fields().encode(s, id, "security", "security.ip",
                                                     client_address.empty() ? std::nullopt
                                                                            : std::optional<std::string_view>(client_address)));
  store::Value account = VEIL_TRY(engine_.fields().encode(s, id, "security", "security.account", id));
  VEIL_TRY(s.execute("INSERT INTO security_events (id, account_id, kind, ip_cipher, at) VALUES (?, ?, ?, ?, ?)",
                     {store::Value{random_id()}, account, store::Value{std::string(kind)}, ip, store::Value{at}}));
  return {};
}

Result<bool> AccountRecords::has_role(store::Session& s, const std::string& id, std::string_view role) const {
  auto rows = VEIL_TRY(s.query("SELECT 1 FROM account_roles WHERE account_id = ? AND role = ?",
                               {store::Value{id}, store::Value{std::string(role)}}));
  return !rows.empty();
}

Status AccountRecords::require_active(const AccountRow& row) {
  if (row.status == AccountStatus::AwaitingGuardian)
    return Error{ErrorCode::PermissionDenied, "guardian_consent_required", ""};
  return {};
}

}  // namespace veil::accounts
