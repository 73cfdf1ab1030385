#pragma once
// Guardian consent for children under 14 ([002][003][004] 儿童个人信息): the guardian verifies
// their own number with a code and consents; the consent is recorded in the child's ledger (actor:
// a pseudonymous reference to the guardian) and only then does the child's account become active.
#include "modules/accounts/account_service.hpp"

namespace veil::accounts {

class GuardianService {
 public:
  GuardianService(store::Database& db, engine::Engine& engine, AccountService& accounts, OtpService& otp, const Clock& clock)
      : db_(db), engine_(engine), accounts_(accounts), otp_(otp), clock_(clock) {}

  Result<OtpService::Issued> send_code(const std::string& child_id, const Pi<std::string>& guardian_phone,
                                       const std::string& client_address);
  Result<Me> consent(const std::string& child_id, const Pi<std::string>& guardian_phone, std::string_view code,
                     bool agree, const std::string& client_address);

 private:
  Status check_waiting(store::Session& s, const std::string& child_id, const Pi<std::string>& guardian_phone) const;
  store::Database& db_;
  engine::Engine& engine_;
  AccountService& accounts_;
  OtpService& otp_;
  const Clock& clock_;
};

}  // namespace veil::accounts
