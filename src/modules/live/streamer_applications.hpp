#pragma once
// Becoming a streamer (B5; [000] 直播申请): the applicant gives a legal name (reused from a
// real-name verification when there is one), a live scope and an introduction; staff approve or
// reject with a reason; the applicant is told in the app. An approved application is what makes
// an account a streamer: going live checks it, not the self-chosen "streamer" interest role.
#include <optional>
#include <string>
#include <vector>

#include "modules/accounts/account_service.hpp"
#include "modules/accounts/notice_service.hpp"
#include "modules/identity/real_name_service.hpp"

namespace veil::live {

enum class ApplicationStatus { Pending, Approved, Rejected };
std::string_view to_string(ApplicationStatus s);

inline const std::vector<std::string>& live_scopes() {
  static const std::vector<std::string> scopes = {"career", "recruitment", "lecture", "entertainment"};
  return scopes;
}

struct Application {
  std::string id;
  std::string account_id;
  std::string name;         // the owner and staff see it; masked in the owner's view of a verified name
  bool name_from_real_name = false;
  std::string scope;
  std::string intro;
  ApplicationStatus status = ApplicationStatus::Pending;
  std::string reason;       // set on rejection
  Millis submitted_at = 0;
  Millis decided_at = 0;
};

struct ApplicationRequest {
  std::optional<std::string> name;  // required unless the account is real-name verified
  std::string scope;
  std::string intro;
};

class StreamerApplications {
 public:
  StreamerApplications(store::Database& db, engine::Engine& engine, accounts::AccountService& accounts,
                       identity::RealNameService& real_names, accounts::NoticeService& notices, const Clock& clock)
      : db_(db), engine_(engine), accounts_(accounts), real_names_(real_names), notices_(notices), clock_(clock) {}

  // Errors: application_scope_invalid, application_intro_invalid, real_name_invalid (no or a bad
  // name), application_pending, already_streamer (409).
  Result<Application> apply(const std::string& account_id, const ApplicationRequest& request);
  // The account's latest application, if any.
  Result<std::optional<Application>> latest(const std::string& account_id);
  // Staff only (permission_denied otherwise): the queue, oldest first; each read is audited.
  Result<std::vector<Application>> queue(const std::string& staff_id, ApplicationStatus status);
  // Staff only. A rejection needs a reason (decision_reason_required). Errors: not_found,
  // application_decided (409).
  Result<Application> decide(const std::string& staff_id, const std::string& application_id, bool approve,
                             const std::string& reason);

  // An approved application stands for the account.
  Result<bool> is_approved_streamer(store::Session& s, const std::string& account_id) const;

 private:
  Result<Application> row_to_application(store::Session& s, const store::Row& row);
  Status require_staff(store::Session& s, const std::string& staff_id) const;

  store::Database& db_;
  engine::Engine& engine_;
  accounts::AccountService& accounts_;
  identity::RealNameService& real_names_;
  accounts::NoticeService& notices_;
  const Clock& clock_;
};

}  // namespace veil::live
