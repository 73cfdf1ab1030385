#pragma once
// What the accounts module hands to the API layer.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/clock.hpp"
#include "util/pi.hpp"

namespace veil::accounts {

enum class AccountStatus { Active, AwaitingGuardian };
std::string_view to_string(AccountStatus s);

// Roles a person chooses for themselves. "streamer" (an approved application) and "staff" (an
// operator's grant) are given, never chosen, and cannot be removed here either.
inline const std::vector<std::string>& known_roles() {
  static const std::vector<std::string> roles = {"viewer", "job_seeker", "recruiter", "lecturer", "examinee"};
  return roles;
}

// Optional profile fields, by their data-map field id suffix ("nickname" → profile.nickname).
inline const std::vector<std::string>& profile_keys() {
  static const std::vector<std::string> keys = {"nickname", "gender", "hometown", "industry", "intro", "avatar_url"};
  return keys;
}

struct Me {
  std::string id;
  std::string phone_masked;
  AccountStatus status = AccountStatus::Active;
  bool minor = false;
  std::vector<std::string> roles;
  bool has_password = false;
  bool profile_consent = false;                                // the `profile` purpose is consented now
  std::map<std::string, std::optional<Pi<std::string>>> profile;  // key -> value (only with consent)
  Millis created_at = 0;
};

struct ConsentChoice {
  std::string policy_version;
  std::vector<std::string> purposes;
};

struct SignInWithCode {
  Pi<std::string> phone;
  std::string code;
  std::optional<ConsentChoice> consent;   // required when the number has no account yet
  std::optional<std::string> birth_date;  // "YYYY-MM-DD", optional
  std::string client_address;             // for the security log (encrypted) and rate limits (hashed)
};

struct SignedIn {
  std::string token;
  bool created = false;
  Me me;
};

}  // namespace veil::accounts
