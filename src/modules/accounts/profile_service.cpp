#include "modules/accounts/profile_service.hpp"

#include <algorithm>

namespace veil::accounts {

namespace {
std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string field_of(const std::string& key) { return "profile." + (key == "avatar_url" ? std::string("avatar") : key); }
}  // namespace

Status validate_profile_value(const std::string& key, const std::string& value) {
  static const std::map<std::string, std::size_t> kLimits = {{"nickname", 32}, {"hometown", 64}, {"industry", 64},
                                                             {"intro", 500},   {"avatar_url", 512}, {"gender", 8}};
  auto limit = kLimits.find(key);
  if (limit == kLimits.end()) return Error::invalid("unknown_field", key);
  if (code_points(value) > limit->second) return Error::invalid("field_too_long", key);
  if (key == "gender" && value != "female" && value != "male" && value != "other")
    return Error::invalid("gender_invalid", key);
  if (key == "avatar_url" && !value.starts_with("https://") && !value.starts_with("/"))
    return Error::invalid("avatar_url_invalid", key);
  if (key == "nickname" && value.find_first_not_of(" \t") == std::string::npos) return Error::invalid("nickname_empty", key);
  return {};
}

Result<Me> ProfileService::update(const std::string& account_id,
                                  const std::map<std::string, std::optional<std::string>>& changes) {
  for (const auto& [key, value] : changes) {
    if (value) {
      VEIL_TRY(validate_profile_value(key, *value));
    } else if (std::find(profile_keys().begin(), profile_keys().end(), key) == profile_keys().end()) {
      return Error::invalid("unknown_field", key);
    }
  }
  return store::transact<Me>(db_, [&](store::Session& s) -> Result<Me> {
    AccountRow row = VEIL_TRY(accounts_.account(s, account_id));
    VEIL_TRY(AccountRecords::require_active(row));
    if (!changes.empty()) {
      // Build one upsert naming only the columns being changed; values come from FieldAccess,
      // which refuses them all unless the `profile` consent stands.
      std::string columns = "account_id, updated_at", placeholders = "?, ?", updates = "updated_at = excluded.updated_at";
      std::vector<store::Value> params = {store::Value{account_id}, store::Value{clock_.now()}};
      for (const auto& [key, value] : changes) {
        std::optional<std::string_view> plain = value ? std::optional<std::string_view>(*value) : std::nullopt;
        params.push_back(VEIL_TRY(engine_.fields().encode(s, account_id, "profile", field_of(key), plain)));
        columns += ", " + key;
        placeholders += ", ?";
        updates += ", " + key + " = excluded." + key;
      }
      VEIL_TRY(s.execute("INSERT INTO profiles (" + columns + ") VALUES (" + placeholders +
                             ") ON CONFLICT (account_id) DO UPDATE SET " + updates,
                         params));
    }
    return accounts_.records().me(s, account_id);
  });
}

Result<Me> ProfileService::add_role(const std::string& account_id, const std::string& role) {
  if (std::find(known_roles().begin(), known_roles().end(), role) == known_roles().end())
    return Error::invalid("role_unknown", role);
  return store::transact<Me>(db_, [&](store::Session& s) -> Result<Me> {
    AccountRow row = VEIL_TRY(accounts_.account(s, account_id));
    VEIL_TRY(AccountRecords::require_active(row));
    VEIL_TRY(engine_.fields().check(s, account_id, "login", "account.roles"));
    VEIL_TRY(s.execute("INSERT INTO account_roles (account_id, role, granted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                       {store::Value{account_id}, store::Value{role}, store::Value{clock_.now()}}));
    return accounts_.records().me(s, account_id);
  });
}

Result<Me> ProfileService::remove_role(const std::string& account_id, const std::string& role) {
  if (std::find(known_roles().begin(), known_roles().end(), role) == known_roles().end())
    return Error::invalid("role_unknown", role);
  return store::transact<Me>(db_, [&](store::Session& s) -> Result<Me> {
    VEIL_TRY(accounts_.account(s, account_id));
    VEIL_TRY(s.execute("DELETE FROM account_roles WHERE account_id = ? AND role = ?", {store::Value{account_id}, store::Value{role}}));
    return accounts_.records().me(s, account_id);
  });
}

}  // namespace veil::accounts
