#pragma once
// Real-name verification (B1, B2; [000] 实名认证, [004] 一(三)4(4)): a legal name and resident ID
// number, the account's verified mobile number, and one face photo compared by a FaceProvider.
// Name and ID number are sealed under the account's key; the ID number is found only through its
// blind index (one ID, one account). Once verified, later checks reuse them and only compare a
// new photo ([000]: 直接使用您在注册过程中填写的姓名、身份证号码). The ID number also settles the
// account's age: under 18 a minor, under 14 the guardian flow first.
#include <optional>
#include <string>

#include "engine/engine.hpp"
#include "modules/accounts/account_service.hpp"
#include "modules/identity/face_provider.hpp"
#include "util/rate_limiter.hpp"

namespace veil::identity {

struct RealNameStatus {
  bool verified = false;
  std::string name_masked;
  std::string id_number_masked;
  Millis verified_at = 0;
  Millis face_checked_at = 0;
};

class RealNameService {
 public:
  RealNameService(store::Database& db, engine::Engine& engine, accounts::AccountService& accounts, FaceProvider& faces,
                  const Clock& clock);

  Result<RealNameStatus> status(const std::string& account_id);
  // First verification. Errors: the ID number's (resident_id.hpp), real_name_invalid,
  // face_image_*, consent_required, real_name_already_verified, id_number_in_use,
  // guardian_consent_required (under 14: the account now waits for a guardian),
  // face_mismatch, face_unavailable, real_name_attempts_exceeded.
  Result<RealNameStatus> verify(const std::string& account_id, std::string_view name, std::string_view id_number,
                                const SecretBytes& photo);
  // A later check: the stored name and ID number with a new photo. Error real_name_required.
  Result<RealNameStatus> recheck_face(const std::string& account_id, const SecretBytes& photo);

  // Verified, with name and ID number still held (a withdrawn consent erases them).
  Result<bool> is_verified(store::Session& s, const std::string& account_id) const;
  Result<bool> is_verified(const std::string& account_id);
  // The verified legal name, for a form that reuses it (streamer application).
  Result<std::optional<Pi<std::string>>> verified_name(store::Session& s, const std::string& account_id);

 private:
  struct Stored {
    Pi<std::string> name, id_number;
    Millis verified_at = 0, face_checked_at = 0;
  };
  Result<std::optional<Stored>> stored(store::Session& s, const std::string& account_id);
  Result<Pi<std::string>> phone_of(store::Session& s, const std::string& account_id);
  Status compare_face(const FaceClaim& claim, const std::string& account_id);
  static RealNameStatus status_of(const std::optional<Stored>& stored);

  store::Database& db_;
  engine::Engine& engine_;
  accounts::AccountService& accounts_;
  FaceProvider& faces_;
  const Clock& clock_;
  RateLimiter attempts_;  // face comparisons cost money and invite guessing: 5 per account per day
};

}  // namespace veil::identity
