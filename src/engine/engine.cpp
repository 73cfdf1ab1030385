#include "engine/engine.hpp"

#include "engine/policy/policy_publisher.hpp"

namespace veil::engine {

Result<std::unique_ptr<Engine>> Engine::open(store::Database& db, const Clock& clock, const EngineConfig& config) {
  std::unique_ptr<Engine> e(new Engine());
  e->map_ = std::make_unique<DataMap>(VEIL_TRY(DataMap::load_file(config.datamap_file.string())));
  std::vector<MasterKey> keyring;
  keyring.push_back(VEIL_TRY(load_master_key(config.data_dir / "master.key", true)));
  // An interrupted rotation leaves the next key beside the current one: both may wrap rows.
  if (std::filesystem::exists(config.data_dir / "master.key.next"))
    keyring.insert(keyring.begin(), VEIL_TRY(load_master_key(config.data_dir / "master.key.next", false)));
  e->vault_ = VEIL_TRY(Vault::open(db, std::move(keyring), clock));
  e->audit_ = std::make_unique<AuditLog>(clock, *e->vault_);
  e->consent_ = std::make_unique<ConsentLedger>(
      *e->map_, clock, db.backend() == store::Backend::Sqlite ? ConsentStateCache::SingleWriter : ConsentStateCache::Off);
  e->documents_ = std::make_unique<PolicyDocuments>(*e->map_, VEIL_TRY(PolicyFragments::load_file(config.policy_fragments.string())));
  e->receipts_ = std::make_unique<ReceiptSigner>(VEIL_TRY(ReceiptSigner::open(config.data_dir / "signing.key")));
  e->fields_ = std::make_unique<FieldAccess>(*e->map_, *e->vault_, *e->consent_);
  VEIL_TRY(publish_policy(db, *e->map_, *e->documents_, *e->audit_, clock));
  return e;
}

}  // namespace veil::engine
