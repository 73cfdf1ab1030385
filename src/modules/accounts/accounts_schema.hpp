#pragma once
// The accounts module's tables (migrations 200–299). Every column is declared in the data map.
#include <vector>

#include "store/database.hpp"

namespace veil::accounts {
std::vector<store::Migration> accounts_migrations();
}
