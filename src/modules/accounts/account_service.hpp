#pragma once
// Registration and login ([all] 手机号+验证码; [001] optional password), sessions and the
// account's own view. Registration records the policy acceptance in the consent ledger in the same
// transaction that creates the account: there is no account without its consent record.
#include <memory>

#include "engine/engine.hpp"
#include "modules/accounts/account_records.hpp"
#include "modules/accounts/otp_service.hpp"
#include "modules/accounts/session_service.hpp"

namespace veil::accounts {

class AccountService {
 public:
  AccountService(store::Database& db, engine::Engine& engine, OtpService& otp, const Clock& clock);

  Result<SignedIn> sign_in_with_code(const SignInWithCode& request);
  Result<SignedIn> sign_in_with_password(const Pi<std::string>& phone, const Pi<std::string>& password,
                                         const std::string& client_address);
  Status set_password(const std::string& account_id, const Pi<std::string>& password);
  Result<std::string> authenticate(std::string_view token);
  Status log_out(std::string_view token, const std::string& client_address);
  Result<Me> me(const std::string& account_id);
  // Staff is never self-chosen: an operator command (or --dev) grants it, on the audit trail.
  Status grant_staff(const std::string& account_id, const std::string& actor);
  Result<AccountRow> account(store::Session& s, const std::string& account_id) const;

  AccountRecords& records() { return records_; }

 private:
  Result<SignedIn> finish_sign_in(store::Session& s, const std::string& id, bool created, std::string_view kind,
                                  const std::string& client_address);
  store::Database& db_;
  engine::Engine& engine_;
  OtpService& otp_;
  const Clock& clock_;
  AccountRecords records_;
  SessionService sessions_;
  RateLimiter password_limiter_;
  std::string dummy_password_hash_;  // verified against when no account matches: equal timing
};

}  // namespace veil::accounts
