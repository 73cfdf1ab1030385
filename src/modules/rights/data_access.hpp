#pragma once
// The right of access (H1; PRIVACY_ENGINE §6): everything Veil holds about a person, from the
// data map, live. Each look is written to the audit log as a rights event.
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "engine/rights/subject_data.hpp"

namespace veil::rights {

class DataAccess {
 public:
  DataAccess(store::Database& db, engine::Engine& engine) : db_(db), engine_(engine) {}

  // What is held about `account_id`, for that account itself.
  Result<std::vector<engine::HeldCategory>> held_about(const std::string& account_id);

 private:
  store::Database& db_;
  engine::Engine& engine_;
};

}  // namespace veil::rights
