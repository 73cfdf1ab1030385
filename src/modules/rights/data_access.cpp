#include "modules/rights/data_access.hpp"

namespace veil::rights {

Result<std::vector<engine::HeldCategory>> DataAccess::held_about(const std::string& account_id) {
  return store::transact<std::vector<engine::HeldCategory>>(db_, [&](store::Session& s) -> Result<std::vector<engine::HeldCategory>> {
    auto held = VEIL_TRY(engine::collect_subject_data(s, engine_.map(), engine_.vault(), account_id));
    std::size_t records = 0;
    for (const auto& c : held) records += c.records.size();
    VEIL_TRY(engine_.audit().append(s, {account_id, "rights.access", account_id, {{"records", records}}}));
    return held;
  });
}

}  // namespace veil::rights
