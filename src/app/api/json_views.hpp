#pragma once
// JSON shapes shared by several routes.
#include <nlohmann/json.hpp>

#include "modules/accounts/account_types.hpp"

namespace veil::app {

nlohmann::json me_json(const accounts::Me& me);
nlohmann::json signed_in_json(const accounts::SignedIn& s);

}  // namespace veil::app
