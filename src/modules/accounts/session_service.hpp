#pragma once
// Sessions as opaque bearer tokens: 32 CSPRNG bytes given to the client once, stored only as a
// keyed hash, expiring after 30 days, revoked on logout.
#include <string>

#include "engine/engine.hpp"
#include "store/database.hpp"

namespace veil::accounts {

class SessionService {
 public:
  static constexpr Millis kLifetime = 30 * kDay;
  SessionService(engine::Engine& engine, const Clock& clock) : engine_(engine), clock_(clock) {}

  Result<std::string> create(store::Session& s, const std::string& account_id);
  // The account id behind a live token, or session_invalid.
  Result<std::string> resolve(store::Session& s, std::string_view token) const;
  Status revoke(store::Session& s, std::string_view token);

 private:
  Result<std::string> hash(std::string_view token) const;
  engine::Engine& engine_;
  const Clock& clock_;
};

}  // namespace veil::accounts
