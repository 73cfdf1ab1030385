#include "app/module_registry.hpp"

#include "engine/engine_schema.hpp"
#include "modules/accounts/accounts_schema.hpp"
#include "modules/identity/identity_schema.hpp"
#include "modules/live/live_schema.hpp"
#include "modules/wallet/wallet_schema.hpp"

namespace veil::app {

std::vector<store::Migration> all_migrations() {
  std::vector<store::Migration> out = engine::engine_migrations();
  for (auto& m : accounts::accounts_migrations()) out.push_back(std::move(m));
  for (auto& m : identity::identity_migrations()) out.push_back(std::move(m));
  for (auto& m : live::live_migrations()) out.push_back(std::move(m));
  for (auto& m : wallet::wallet_migrations()) out.push_back(std::move(m));
  return out;
}

}  // namespace veil::app
