#pragma once
#include <vector>

#include "store/database.hpp"

namespace veil::live {

// Migrations 401–: streamer applications, rooms and live sessions, publish grants.
std::vector<store::Migration> live_migrations();

}  // namespace veil::live
