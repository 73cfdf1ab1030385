#pragma once
// A person's own consents: see them, grant or withdraw optional ones ([all] 撤回同意: stops the
// processing from that moment, earlier processing stays valid), and download signed receipts.
// Withdrawing a purpose erases what only that purpose kept (PIPL art. 47).
#include <nlohmann/json.hpp>

#include "modules/accounts/account_service.hpp"

namespace veil::accounts {

class ConsentChoices {
 public:
  ConsentChoices(store::Database& db, engine::Engine& engine, AccountService& accounts)
      : db_(db), engine_(engine), accounts_(accounts) {}

  // {"policy_version","purposes":[{"id","granted","at"}],"records":[{"seq","action","purposes","at","hash"}]}
  Result<nlohmann::json> overview(const std::string& account_id);
  Result<nlohmann::json> change(const std::string& account_id, const std::vector<std::string>& grant,
                                const std::vector<std::string>& withdraw);
  Result<nlohmann::json> receipt(const std::string& account_id, std::int64_t seq);

 private:
  Result<nlohmann::json> overview_in(store::Session& s, const std::string& account_id);
  store::Database& db_;
  engine::Engine& engine_;
  AccountService& accounts_;
};

}  // namespace veil::accounts
