#pragma once
// The one place that names every module: their schemas, in migration order.
#include <vector>

#include "store/database.hpp"

namespace veil::app {
std::vector<store::Migration> all_migrations();
}
