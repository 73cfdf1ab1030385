#include "modules/live/streamer_applications.hpp"

#include <algorithm>

#include "modules/identity/person_name.hpp"
#include "util/encoding.hpp"

namespace veil::live {

namespace {
constexpr std::string_view kPurpose = "streamer_application";
constexpr std::string_view kColumns =
    "SELECT id, account_id, name_cipher, scope, intro, status, reason, submitted_at, decided_at FROM streamer_applications ";

ApplicationStatus status_of(const std::string& s) {
  return s == "approved" ? ApplicationStatus::Approved : s == "rejected" ? ApplicationStatus::Rejected : ApplicationStatus::Pending;
}

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
}  // namespace

std::string_view to_string(ApplicationStatus s) {
  switch (s) {
    case ApplicationStatus::Pending: return "pending";
    case ApplicationStatus::Approved: return "approved";
    case ApplicationStatus::Rejected: return "rejected";
  }
  return "pending";
}

Status StreamerApplications::require_staff(store::Session& s, const std::string& staff_id) const {
  if (!VEIL_TRY(accounts_.records().has_role(s, staff_id, "staff")))
    return Error{ErrorCode::PermissionDenied, "staff_only", ""};
  return {};
}

Result<Application> StreamerApplications::row_to_application(store::Session& s, const store::Row& row) {
  Application a;
  a.id = row.text(0);
  a.account_id = row.text(1);
  auto name = VEIL_TRY(engine_.fields().decode(s, a.account_id, kPurpose, "streamer_application.name", row.at(2)));
  a.name = name ? name->reveal() : "";
  a.scope = row.text(3);
  a.intro = row.text(4);
  a.status = status_of(row.text(5));
  a.reason = row.is_null(6) ? "" : row.text(6);
  a.submitted_at = row.integer(7);
  a.decided_at = row.is_null(8) ? 0 : row.integer(8);
  return a;
}

Result<Application> StreamerApplications::apply(const std::string& account_id, const ApplicationRequest& request) {
  if (std::find(live_scopes().begin(), live_scopes().end(), request.scope) == live_scopes().end())
    return Error::invalid("application_scope_invalid", request.scope);
  std::size_t intro_length = code_points(request.intro);
  if (intro_length < 10 || intro_length > 500) return Error::invalid("application_intro_invalid");
  return store::transact<Application>(db_, [&](store::Session& s) -> Result<Application> {
    accounts::AccountRow row = VEIL_TRY(accounts_.account(s, account_id));
    VEIL_TRY(accounts::AccountRecords::require_active(row));
    auto latest_rows = VEIL_TRY(s.query(std::string(kColumns) + "WHERE account_id = ? ORDER BY submitted_at DESC LIMIT 1",
                                        {store::Value{account_id}}));
    if (!latest_rows.empty()) {
      std::string status = latest_rows[0].text(5);
      if (status == "pending") return Error{ErrorCode::Conflict, "application_pending", ""};
      if (status == "approved") return Error{ErrorCode::Conflict, "already_streamer", ""};
    }
    // [000]: a name verified before is reused; otherwise the applicant writes it.
    bool reused = false;
    Pi<std::string> name("");
    if (auto verified = VEIL_TRY(real_names_.verified_name(s, account_id))) {
      name = std::move(*verified);
      reused = true;
    } else {
      if (!request.name) return Error::invalid("real_name_invalid", "a name is required");
      name = VEIL_TRY(identity::parse_person_name(*request.name));
    }
    auto& fields = engine_.fields();
    std::string id = random_id();
    Millis now = clock_.now();
    VEIL_TRY(s.execute(
        "INSERT INTO streamer_applications (id, account_id, name_cipher, scope, intro, status, submitted_at) "
        "VALUES (?, ?, ?, ?, ?, 'pending', ?)",
        {store::Value{id}, store::Value{account_id},
         VEIL_TRY(fields.encode(s, account_id, kPurpose, "streamer_application.name", name.reveal())),
         VEIL_TRY(fields.encode(s, account_id, kPurpose, "streamer_application.scope", request.scope)),
         VEIL_TRY(fields.encode(s, account_id, kPurpose, "streamer_application.intro", request.intro)),
         store::Value{now}}));
    VEIL_TRY(engine_.audit().append(s, {account_id, "streamer.applied", id}));
    auto rows = VEIL_TRY(s.query(std::string(kColumns) + "WHERE id = ?", {store::Value{id}}));
    Application a = VEIL_TRY(row_to_application(s, rows.at(0)));
    a.name_from_real_name = reused;
    return a;
  });
}

Result<std::optional<Application>> StreamerApplications::latest(const std::string& account_id) {
  return store::read<std::optional<Application>>(db_, [&](store::Session& s) -> Result<std::optional<Application>> {
    VEIL_TRY(accounts_.account(s, account_id));
    auto rows = VEIL_TRY(s.query(std::string(kColumns) + "WHERE account_id = ? ORDER BY submitted_at DESC LIMIT 1",
                                 {store::Value{account_id}}));
    if (rows.empty()) return std::optional<Application>();
    return std::optional<Application>(VEIL_TRY(row_to_application(s, rows[0])));
  });
}

Result<std::vector<Application>> StreamerApplications::queue(const std::string& staff_id, ApplicationStatus status) {
  return store::transact<std::vector<Application>>(db_, [&](store::Session& s) -> Result<std::vector<Application>> {
    VEIL_TRY(require_staff(s, staff_id));
    auto rows = VEIL_TRY(s.query(std::string(kColumns) + "WHERE status = ? ORDER BY submitted_at, id LIMIT 200",
                                 {store::Value{std::string(to_string(status))}}));
    std::vector<Application> out;
    for (const auto& r : rows) out.push_back(VEIL_TRY(row_to_application(s, r)));
    // Staff read applicants' names: who read how many is on the audit trail.
    VEIL_TRY(engine_.audit().append(s, {staff_id, "streamer.queue_read", "streamer_applications",
                                        {{"status", to_string(status)}, {"count", out.size()}}}));
    return out;
  });
}

Result<Application> StreamerApplications::decide(const std::string& staff_id, const std::string& application_id,
                                                 bool approve, const std::string& reason) {
  if (!approve && code_points(reason) < 2) return Error::invalid("decision_reason_required");
  if (code_points(reason) > 300) return Error::invalid("decision_reason_too_long");
  return store::transact<Application>(db_, [&](store::Session& s) -> Result<Application> {
    VEIL_TRY(require_staff(s, staff_id));
    auto rows = VEIL_TRY(s.query(std::string(kColumns) + "WHERE id = ?", {store::Value{application_id}}));
    if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "application"};
    Application a = VEIL_TRY(row_to_application(s, rows[0]));
    if (a.status != ApplicationStatus::Pending) return Error{ErrorCode::Conflict, "application_decided", ""};
    if (a.account_id == staff_id) return Error{ErrorCode::Conflict, "decision_own", "another staff member decides"};
    Millis now = clock_.now();
    auto& fields = engine_.fields();
    store::Value stored_reason = VEIL_TRY(fields.encode(s, a.account_id, kPurpose, "streamer_application.reason",
                                                        reason.empty() ? std::nullopt : std::optional<std::string_view>(reason)));
    VEIL_TRY(s.execute(
        "UPDATE streamer_applications SET status = ?, reason = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'",
        {store::Value{std::string(approve ? "approved" : "rejected")}, stored_reason, store::Value{now},
         VEIL_TRY(fields.encode(s, a.account_id, kPurpose, "streamer_application.decided_by", staff_id)),
         store::Value{application_id}}));
    if (approve)
      VEIL_TRY(s.execute("INSERT INTO account_roles (account_id, role, granted_at) VALUES (?, 'streamer', ?) ON CONFLICT DO NOTHING",
                         {store::Value{a.account_id}, store::Value{now}}));
    VEIL_TRY(notices_.post(s, a.account_id, approve ? "streamer_approved" : "streamer_rejected",
                           approve ? nlohmann::json::object() : nlohmann::json{{"reason", reason}}));
    VEIL_TRY(engine_.audit().append(s, {staff_id, approve ? "streamer.approved" : "streamer.rejected", a.account_id,
                                        {{"application", application_id}}}));
    a.status = approve ? ApplicationStatus::Approved : ApplicationStatus::Rejected;
    a.reason = reason;
    a.decided_at = now;
    return a;
  });
}

Result<bool> StreamerApplications::is_approved_streamer(store::Session& s, const std::string& account_id) const {
  auto rows = VEIL_TRY(s.query("SELECT 1 FROM streamer_applications WHERE account_id = ? AND status = 'approved'",
                               {store::Value{account_id}}));
  return !rows.empty();
}

}  // namespace veil::live
