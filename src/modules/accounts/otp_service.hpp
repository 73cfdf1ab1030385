#pragma once
// One-time codes ([all] 短信验证码): six digits from the CSPRNG, stored only as a keyed hash,
// valid five minutes, five guesses, the newest code replaces older ones. Sends are rate-limited
// per phone number and per client address.
#include <string>

#include "engine/engine.hpp"
#include "modules/accounts/sms_provider.hpp"
#include "store/database.hpp"
#include "util/rate_limiter.hpp"

namespace veil::accounts {

enum class CodePurpose { Login, Guardian };

struct CodePolicy {
  Millis lifetime = 5 * kMinute;
  int max_attempts = 5;
  Millis resend_interval = kMinute;
  int sends_per_phone_per_hour = 5;
  int sends_per_address_per_hour = 20;
};

enum class CodeCheck { Ok, Wrong, Expired, Exhausted, Missing };

// The error a person sees for a failed check (code_invalid, code_expired, …).
Error code_check_error(CodeCheck check);

class OtpService {
 public:
  OtpService(store::Database& db, engine::Engine& engine, SmsProvider& sms, const Clock& clock, CodePolicy policy = {});

  struct Issued {
    Millis expires_in = 0;
    Millis resend_after = 0;
  };
  // Stores a fresh code and sends it. `client_key` identifies the caller's address for rate
  // limiting; it is hashed here and never stored.
  Result<Issued> issue(const Pi<std::string>& phone, CodePurpose purpose, std::string_view client_key);

  // Inside the caller's transaction: a wrong guess counts an attempt (commit it!), a right one
  // consumes the code.
  Result<CodeCheck> check(store::Session& s, const Pi<std::string>& phone, CodePurpose purpose, std::string_view code);

 private:
  store::Database& db_;
  engine::Engine& engine_;
  SmsProvider& sms_;
  const Clock& clock_;
  CodePolicy policy_;
  RateLimiter resend_limiter_;
  RateLimiter phone_limiter_;
  RateLimiter address_limiter_;
};

}  // namespace veil::accounts
