#pragma once
// The optional profile ([004] 一(三)2(3): never required for the basic service) and the roles of
// one account ([001] A5: a role can be dropped without the others).
#include <map>
#include <optional>
#include <string>

#include "modules/accounts/account_service.hpp"

namespace veil::accounts {

class ProfileService {
 public:
  ProfileService(store::Database& db, engine::Engine& engine, AccountService& accounts, const Clock& clock)
      : db_(db), engine_(engine), accounts_(accounts), clock_(clock) {}

  // Sets (value) or clears (nullopt) the given fields; refuses them all without the `profile`
  // consent, and for a child still waiting for a guardian.
  Result<Me> update(const std::string& account_id, const std::map<std::string, std::optional<std::string>>& changes);
  Result<Me> add_role(const std::string& account_id, const std::string& role);
  Result<Me> remove_role(const std::string& account_id, const std::string& role);

 private:
  store::Database& db_;
  engine::Engine& engine_;
  AccountService& accounts_;
  const Clock& clock_;
};

// Checks one profile value: lengths, the gender list, avatar URLs. Empty error reason = fine.
Status validate_profile_value(const std::string& key, const std::string& value);

}  // namespace veil::accounts
