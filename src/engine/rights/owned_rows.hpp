#pragma once
// Where a data subject's rows are, in any table the data map gives an owner: the owner path
// ("column", or "column -> table.column" followed through that table's own owner) as one SQL
// condition with a single `?` for the subject's id. Access, copy and deletion walk the same paths,
// so a table added later is covered by its declaration alone.
#include <string>

#include "engine/datamap/data_map.hpp"
#include "util/result.hpp"

namespace veil::engine {

// e.g. `live_sessions.room_id IN (SELECT rooms.id FROM rooms WHERE rooms.owner_id = ?)`. Errors
// (internal: the map is the repository's): no owner, a path that loops, a name that is not a
// plain SQL identifier.
Result<std::string> owned_rows_condition(const DataMap& map, const TableDecl& table);

}  // namespace veil::engine
