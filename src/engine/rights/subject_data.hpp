#pragma once
// Everything held about one data subject (PRIVACY_ENGINE §6, access), found by walking the data
// map: every owned table's rows on the subject's owner path, grouped by the category the table
// names. Sealed fields are opened for the subject, who owns them; indexed and hashed fields are
// described, never revealed (they cannot be read back, and their stored form confirms guesses).
#include <optional>
#include <string>
#include <vector>

#include "engine/datamap/data_map.hpp"
#include "engine/vault/vault.hpp"
#include "store/database.hpp"

namespace veil::engine {

enum class HeldAs {
  Plain,    // stored as it is
  Sealed,   // encrypted under the subject's key; `value` is the plaintext (none once the key is gone)
  Indexed,  // a keyed blind index: described only
  Hashed,   // a keyed hash: described only
  Binary,   // a non-personal blob (a wrapped key, a hash chain link): described only
};

struct HeldValue {
  std::string column;
  const Field* field = nullptr;  // null: a column the map declares non-personal (ids, times, states)
  HeldAs held_as = HeldAs::Plain;
  bool stored = true;                // false: the column is NULL, nothing is held there
  std::optional<std::string> value;  // none: nothing stored, or not revealed (see held_as)
};

struct HeldRecord {
  const TableDecl* table = nullptr;
  std::vector<HeldValue> values;
};

struct HeldCategory {
  const Category* category = nullptr;  // null: owned tables that name no category (test maps)
  std::vector<HeldRecord> records;
};

// In the map's category order; categories with nothing held are left out.
Result<std::vector<HeldCategory>> collect_subject_data(store::Session& s, const DataMap& map, Vault& vault,
                                                       const std::string& subject);

}  // namespace veil::engine
