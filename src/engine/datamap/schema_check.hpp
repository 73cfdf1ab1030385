#pragma once
// Holds the live schema to the data map: every column of every table is declared (as a personal
// field, an owner column or non-personal), and everything declared still exists.
#include <string>
#include <vector>

#include "engine/datamap/data_map.hpp"
#include "store/database.hpp"

namespace veil::engine {

// Returns one human-readable line per problem; empty means schema and map agree.
std::vector<std::string> check_schema(const DataMap& map, const std::vector<store::Column>& columns);

}  // namespace veil::engine
