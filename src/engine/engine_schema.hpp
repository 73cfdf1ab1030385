#pragma once
// The engine's own tables. Each layer owns a range of migration versions: engine 100–199.
#include <vector>

#include "store/database.hpp"

namespace veil::engine {
std::vector<store::Migration> engine_migrations();
}
