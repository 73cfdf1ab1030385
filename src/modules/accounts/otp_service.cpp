#include "modules/accounts/otp_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>

namespace veil::accounts {

namespace {
const char* purpose_name(CodePurpose p) { return p == CodePurpose::Login ? "login" : "guardian"; }

std::string message_for(CodePurpose p, const std::string& code) {
  if (p == CodePurpose::Guardian)
    return "【Veil】您正在为一名未满14周岁的用户提供监护人同意，验证码 " + code +
           "，5分钟内有效。Veil: you are giving guardian consent for a child's account. Code " + code + ", valid 5 minutes.";
  return "【Veil】验证码 " + code + "，5分钟内有效，请勿告诉他人。Your Veil code is " + code +
         " (valid 5 minutes). Do not share it.";
}
}  // namespace

Error code_check_error(CodeCheck check) {
  switch (check) {
    case CodeCheck::Expired: return Error::invalid("code_expired");
    case CodeCheck::Exhausted: return Error{ErrorCode::ResourceExhausted, "code_attempts_exceeded", ""};
    default: return Error::invalid("code_invalid");
  }
}

OtpService::OtpService(store::Database& db, engine::Engine& engine, SmsProvider& sms, const Clock& clock, CodePolicy policy)
    : db_(db),
      engine_(engine),
      sms_(sms),
      clock_(clock),
      policy_(policy),
      resend_limiter_(clock, 1, policy.resend_interval),
      phone_limiter_(clock, policy.sends_per_phone_per_hour, kHour),
      address_limiter_(clock, policy.sends_per_address_per_hour, kHour) {}

Result<OtpService::Issued> OtpService::issue(const Pi<std::string>& phone, CodePurpose purpose, std::string_view client_key) {
  auto& fields = engine_.fields();
  std::string index = VEIL_TRY(fields.index_of("otp.phone_index", phone.reveal()));
  std::string address_key = engine_.vault().secret_hash("rate:address", client_key);
  std::string phone_key = std::string(purpose_name(purpose)) + ":" + index;
  if (!address_limiter_.allow(address_key) || !resend_limiter_.allow(phone_key) || !phone_limiter_.allow(phone_key))
    return Error::exhausted("rate_limited", std::max({address_limiter_.retry_after(address_key), resend_limiter_.retry_after(phone_key),
                                                      phone_limiter_.retry_after(phone_key)}));

  char code[7];
  std::snprintf(code, sizeof code, "%06u", randombytes_uniform(1'000'000));
  std::string id = random_id();
  Millis now = clock_.now();
  VEIL_TRY(db_.transaction([&](store::Session& s) -> Status {
    // Retention: a day at most (datamap otp.*); the newest code replaces the older ones.
    VEIL_TRY(s.execute("DELETE FROM otp_codes WHERE expires_at < ? OR (phone_bidx = ? AND purpose = ?)",
                       {store::Value{now - kDay}, store::Value{index}, store::Value{std::string(purpose_name(purpose))}}));
    std::string hash = VEIL_TRY(fields.hash_of("otp.code", id + ":" + code));
    VEIL_TRY(s.execute(
        "INSERT INTO otp_codes (id, phone_bidx, purpose, code_hash, attempts, expires_at, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
        {store::Value{id}, store::Value{index}, store::Value{std::string(purpose_name(purpose))}, store::Value{hash},
         store::Value{now + policy_.lifetime}, store::Value{now}}));
    return {};
  }));
  std::string text = message_for(purpose, code);
  Status sent = sms_.send(phone, text);
  sodium_memzero(code, sizeof code);
  sodium_memzero(text.data(), text.size());
  VEIL_TRY(sent);
  return Issued{policy_.lifetime, policy_.resend_interval};
}

Result<CodeCheck> OtpService::check(store::Session& s, const Pi<std::string>& phone, CodePurpose purpose, std::string_view code) {
  auto& fields = engine_.fields();
  std::string index = VEIL_TRY(fields.index_of("otp.phone_index", phone.reveal()));
  auto rows = VEIL_TRY(s.query(
      "SELECT id, code_hash, attempts, expires_at FROM otp_codes WHERE phone_bidx = ? AND purpose = ? "
      "ORDER BY created_at DESC LIMIT 1",
      {store::Value{index}, store::Value{std::string(purpose_name(purpose))}}));
  if (rows.empty()) return CodeCheck::Missing;
  const std::string id = rows[0].text(0);
  if (rows[0].integer(3) <= clock_.now()) return CodeCheck::Expired;
  if (rows[0].integer(2) >= policy_.max_attempts) return CodeCheck::Exhausted;
  std::string expected = rows[0].text(1);
  std::string given = VEIL_TRY(fields.hash_of("otp.code", id + ":" + std::string(code)));
  bool match = expected.size() == given.size() && sodium_memcmp(expected.data(), given.data(), given.size()) == 0;
  if (!match) {
    VEIL_TRY(s.execute("UPDATE otp_codes SET attempts = attempts + 1 WHERE id = ?", {store::Value{id}}));
    return rows[0].integer(2) + 1 >= policy_.max_attempts ? CodeCheck::Exhausted : CodeCheck::Wrong;
  }
  VEIL_TRY(s.execute("DELETE FROM otp_codes WHERE id = ?", {store::Value{id}}));
  return CodeCheck::Ok;
}

}  // namespace veil::accounts
