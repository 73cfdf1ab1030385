#pragma once
// After a consent is withdrawn, what only that purpose kept is erased (PIPL art. 47): each field
// the purpose declares, unless another purpose still has a standing basis for it, is cleared in
// the rows the data map's owner path gives for the subject.
#include <string>

#include "engine/consent/consent_ledger.hpp"
#include "engine/datamap/data_map.hpp"
#include "store/database.hpp"

namespace veil::engine {

Status erase_after_withdrawal(store::Session& s, const DataMap& map, const ConsentLedger& ledger,
                              const std::string& subject, const std::string& purpose);

}  // namespace veil::engine
