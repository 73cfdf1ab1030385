#pragma once
#include <vector>

#include "store/database.hpp"

namespace veil::identity {

// Migrations 301–: real-name verifications, streamer applications, in-app notices.
std::vector<store::Migration> identity_migrations();

}  // namespace veil::identity
