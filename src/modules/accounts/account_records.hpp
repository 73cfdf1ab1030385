#pragma once
// Row-level reads and writes of the accounts tables shared by the account services. Personal
// fields go through the engine's FieldAccess, which checks purpose and consent and applies the
// field's protection.
#include <optional>
#include <string>

#include "engine/engine.hpp"
#include "modules/accounts/account_types.hpp"
#include "store/database.hpp"

namespace veil::accounts {

struct AccountRow {
  std::string id;
  AccountStatus status = AccountStatus::Active;
  bool minor = false;
  bool has_password = false;
  std::string password_hash;
  Millis created_at = 0;
};

class AccountRecords {
 public:
  explicit AccountRecords(engine::Engine& engine) : engine_(engine) {}

  Result<std::optional<AccountRow>> by_id(store::Session& s, const std::string& id) const;
  Result<std::optional<AccountRow>> by_phone(store::Session& s, const Pi<std::string>& phone) const;
  // The whole view of an account for its owner.
  Result<Me> me(store::Session& s, const std::string& id) const;
  // Appends to the security log (kept six months, [004] 五(五)): address sealed under the subject.
  Status log_security_event(store::Session& s, const std::string& id, std::string_view kind,
                            const std::string& client_address, Millis at) const;
  Result<bool> has_role(store::Session& s, const std::string& id, std::string_view role) const;
  // Refuses anything more for a child whose guardian has not consented yet ([004] 六(一)).
  static Status require_active(const AccountRow& row);

 private:
  engine::Engine& engine_;
};

}  // namespace veil::accounts
