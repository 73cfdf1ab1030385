#include "modules/live/moderation.hpp"

#include <algorithm>

#include "util/encoding.hpp"

namespace veil::live {

namespace {
constexpr std::string_view kPurpose = "moderation";
constexpr std::string_view kPenaltyColumns = "SELECT id, kind, reason, room_id, until_at, created_at FROM penalties ";

Penalty penalty_of(const store::Row& r) {
  Penalty p{r.text(0), r.text(1), r.text(2), std::nullopt, std::nullopt, r.integer(5)};
  if (!r.is_null(3)) p.room_id = r.text(3);
  if (!r.is_null(4)) p.until = r.integer(4);
  return p;
}

std::string_view kind_name(PenaltyKind k) { return k == PenaltyKind::Mute ? "mute" : "ban"; }

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
}  // namespace

Status Moderation::require_moderator(store::Session& s, const std::string& moderator_id, const std::optional<std::string>& room_id) {
  if (VEIL_TRY(accounts_.records().has_role(s, moderator_id, "staff"))) return {};
  if (room_id && VEIL_TRY(rooms_.get(s, *room_id)).host.id == moderator_id) return {};
  return Error{ErrorCode::PermissionDenied, "moderator_required", ""};
}

Result<ModerationTarget> Moderation::message_target(const std::string& room_id, const std::string& message_id) {
  return store::read<ModerationTarget>(db_, [&](store::Session& s) -> Result<ModerationTarget> {
    auto rows = VEIL_TRY(s.query("SELECT author_id FROM room_messages WHERE id = ? AND room_id = ?",
                                 {store::Value{message_id}, store::Value{room_id}}));
    if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "message"};
    return ModerationTarget{rows[0].text(0), message_id};
  });
}

Result<Penalty> Moderation::penalise(const std::string& moderator_id, const ModerationTarget& target, PenaltyKind kind,
                                     const std::optional<std::string>& room_id, int minutes, const std::string& reason) {
  if (code_points(reason) < 2 || code_points(reason) > 200) return Error::invalid("moderation_reason_required");
  if (minutes < 0 || minutes > 60 * 24 * 365) return Error::invalid("moderation_duration_invalid");
  if (target.account_id == moderator_id) return Error{ErrorCode::Conflict, "moderation_self", ""};
  return store::transact<Penalty>(db_, [&](store::Session& s) -> Result<Penalty> {
    VEIL_TRY(require_moderator(s, moderator_id, room_id));
    if (!room_id && !VEIL_TRY(accounts_.records().has_role(s, moderator_id, "staff")))
      return Error{ErrorCode::PermissionDenied, "moderator_required", "platform-wide needs staff"};
    std::string room_title;
    if (room_id) {
      Room room = VEIL_TRY(rooms_.get(s, *room_id));
      if (room.host.id == target.account_id) return Error{ErrorCode::Conflict, "moderation_self", "the host of the room"};
      room_title = room.title;
    }
    Millis now = clock_.now();
    Penalty p{random_id(12), std::string(kind_name(kind)), reason, room_id, std::nullopt, now};
    if (minutes > 0) p.until = now + minutes * kMinute;
    auto& fields = engine_.fields();
    VEIL_TRY(s.execute(
        "INSERT INTO penalties (id, account_id, room_id, kind, reason, until_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {store::Value{p.id}, VEIL_TRY(fields.encode(s, target.account_id, kPurpose, "penalty.account", target.account_id)),
         room_id ? store::Value{*room_id} : store::Value{store::Null{}}, store::Value{p.kind},
         VEIL_TRY(fields.encode(s, target.account_id, kPurpose, "penalty.reason", reason)),
         p.until ? store::Value{*p.until} : store::Value{store::Null{}},
         VEIL_TRY(fields.encode(s, target.account_id, kPurpose, "penalty.moderator", moderator_id)), store::Value{now}}));
    nlohmann::json notice = {{"kind", p.kind}, {"reason", reason}, {"scope", room_id ? "room" : "platform"}};
    if (room_id) notice["room_title"] = room_title;
    if (p.until) notice["until"] = *p.until;
    VEIL_TRY(notices_.post(s, target.account_id, "penalty", notice));
    VEIL_TRY(engine_.audit().append(s, {moderator_id, "moderation." + p.kind, target.account_id,
                                        {{"room", room_id.value_or("")}, {"penalty", p.id}, {"minutes", minutes}}}));
    return p;
  });
}

Status Moderation::lift(const std::string& moderator_id, const std::string& penalty_id) {
  return db_.transaction([&](store::Session& s) -> Status {
    auto rows = VEIL_TRY(s.query("SELECT room_id, account_id FROM penalties WHERE id = ? AND lifted_at IS NULL", {store::Value{penalty_id}}));
    if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "penalty"};
    std::optional<std::string> room = rows[0].is_null(0) ? std::nullopt : std::optional<std::string>(rows[0].text(0));
    VEIL_TRY(require_moderator(s, moderator_id, room));
    if (!room && !VEIL_TRY(accounts_.records().has_role(s, moderator_id, "staff")))
      return Error{ErrorCode::PermissionDenied, "moderator_required", ""};
    VEIL_TRY(s.execute("UPDATE penalties SET lifted_at = ? WHERE id = ?", {store::Value{clock_.now()}, store::Value{penalty_id}}));
    VEIL_TRY(engine_.audit().append(s, {moderator_id, "moderation.lifted", rows[0].text(1), {{"penalty", penalty_id}}}));
    return {};
  });
}

Status Moderation::delete_message(const std::string& moderator_id, const std::string& room_id, const std::string& message_id) {
  return db_.transaction([&](store::Session& s) -> Status {
    VEIL_TRY(require_moderator(s, moderator_id, room_id));
    auto rows = VEIL_TRY(s.query("SELECT author_id FROM room_messages WHERE id = ? AND room_id = ? AND deleted_at IS NULL",
                                 {store::Value{message_id}, store::Value{room_id}}));
    if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "message"};
    std::string author = rows[0].text(0);
    VEIL_TRY(s.execute("UPDATE room_messages SET text = NULL, deleted_at = ?, deleted_by = ? WHERE id = ?",
                       {store::Value{clock_.now()},
                        VEIL_TRY(engine_.fields().encode(s, author, "live_interaction", "room_message.deleted_by", moderator_id)),
                        store::Value{message_id}}));
    VEIL_TRY(engine_.audit().append(s, {moderator_id, "moderation.message_deleted", author, {{"room", room_id}, {"message", message_id}}}));
    return {};
  });
}

Status Moderation::kicked(const std::string& moderator_id, const std::string& room_id, const std::string& account_id,
                          const std::string& reason) {
  if (code_points(reason) < 2 || code_points(reason) > 200) return Error::invalid("moderation_reason_required");
  if (account_id == moderator_id) return Error{ErrorCode::Conflict, "moderation_self", ""};
  return db_.transaction([&](store::Session& s) -> Status {
    VEIL_TRY(require_moderator(s, moderator_id, room_id));
    Room room = VEIL_TRY(rooms_.get(s, room_id));
    VEIL_TRY(notices_.post(s, account_id, "penalty", {{"kind", "kick"}, {"reason", reason}, {"scope", "room"}, {"room_title", room.title}}));
    VEIL_TRY(engine_.audit().append(s, {moderator_id, "moderation.kick", account_id, {{"room", room_id}}}));
    return {};
  });
}

Result<std::optional<Penalty>> Moderation::penalty(const std::string& account_id, const std::string& room_id, PenaltyKind kind) {
  return store::read<std::optional<Penalty>>(db_, [&](store::Session& s) -> Result<std::optional<Penalty>> {
    auto rows = VEIL_TRY(s.query(std::string(kPenaltyColumns) +
                                     "WHERE account_id = ? AND kind = ? AND lifted_at IS NULL AND (room_id IS NULL OR room_id = ?) "
                                     "AND (until_at IS NULL OR until_at > ?) ORDER BY created_at DESC LIMIT 1",
                                 {store::Value{account_id}, store::Value{std::string(kind_name(kind))}, store::Value{room_id},
                                  store::Value{clock_.now()}}));
    if (rows.empty()) return std::optional<Penalty>();
    return std::optional<Penalty>(penalty_of(rows[0]));
  });
}

Result<Report> Moderation::report(const std::string& reporter_id, const std::string& room_id, const ModerationTarget& target,
                                  const std::string& reason, const std::string& note) {
  if (std::find(report_reasons().begin(), report_reasons().end(), reason) == report_reasons().end())
    return Error::invalid("report_reason_invalid");
  if (code_points(note) > 500) return Error::invalid("report_note_too_long");
  return store::transact<Report>(db_, [&](store::Session& s) -> Result<Report> {
    VEIL_TRY(rooms_.get(s, room_id));
    Report r{random_id(12), room_id, reason, note, "open", target.message_id, "", clock_.now()};
    auto& fields = engine_.fields();
    VEIL_TRY(s.execute(
        "INSERT INTO reports (id, reporter_id, target_id, room_id, message_id, reason, note, status, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)",
        {store::Value{r.id}, VEIL_TRY(fields.encode(s, reporter_id, kPurpose, "report.reporter", reporter_id)),
         VEIL_TRY(fields.encode(s, target.account_id, kPurpose, "report.target", target.account_id)), store::Value{room_id},
         target.message_id ? store::Value{*target.message_id} : store::Value{store::Null{}}, store::Value{reason},
         VEIL_TRY(fields.encode(s, reporter_id, kPurpose, "report.note", note.empty() ? std::nullopt : std::optional<std::string_view>(note))),
         store::Value{r.created_at}}));
    return r;
  });
}

Result<std::vector<Report>> Moderation::reports(const std::string& staff_id, const std::string& status) {
  if (status != "open" && status != "dismissed" && status != "actioned") return Error::invalid("status_invalid", status);
  return store::transact<std::vector<Report>>(db_, [&](store::Session& s) -> Result<std::vector<Report>> {
    if (!VEIL_TRY(accounts_.records().has_role(s, staff_id, "staff"))) return Error{ErrorCode::PermissionDenied, "staff_only", ""};
    auto rows = VEIL_TRY(s.query(
        "SELECT r.id, r.room_id, r.reason, r.note, r.status, r.message_id, m.text, r.created_at FROM reports r "
        "LEFT JOIN room_messages m ON m.id = r.message_id WHERE r.status = ? ORDER BY r.created_at LIMIT 200",
        {store::Value{status}}));
    std::vector<Report> out;
    for (const auto& r : rows) {
      Report rep{r.text(0), r.text(1), r.text(2), r.is_null(3) ? "" : r.text(3), r.text(4), std::nullopt, r.is_null(6) ? "" : r.text(6), r.integer(7)};
      if (!r.is_null(5)) rep.message_id = r.text(5);
      out.push_back(std::move(rep));
    }
    VEIL_TRY(engine_.audit().append(s, {staff_id, "moderation.reports_read", "reports", {{"status", status}, {"count", out.size()}}}));
    return out;
  });
}

Result<std::string> Moderation::report_target(const std::string& staff_id, const std::string& report_id) {
  return store::read<std::string>(db_, [&](store::Session& s) -> Result<std::string> {
    if (!VEIL_TRY(accounts_.records().has_role(s, staff_id, "staff"))) return Error{ErrorCode::PermissionDenied, "staff_only", ""};
    auto rows = VEIL_TRY(s.query("SELECT target_id FROM reports WHERE id = ?", {store::Value{report_id}}));
    if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "report"};
    return rows[0].text(0);
  });
}

Result<Report> Moderation::close_report(const std::string& staff_id, const std::string& report_id, bool dismissed) {
  return store::transact<Report>(db_, [&](store::Session& s) -> Result<Report> {
    if (!VEIL_TRY(accounts_.records().has_role(s, staff_id, "staff"))) return Error{ErrorCode::PermissionDenied, "staff_only", ""};
    auto rows = VEIL_TRY(s.query("SELECT room_id, reason, status, created_at, target_id FROM reports WHERE id = ?", {store::Value{report_id}}));
    if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "report"};
    if (rows[0].text(2) != "open") return Error{ErrorCode::Conflict, "report_closed", ""};
    std::string status = dismissed ? "dismissed" : "actioned";
    VEIL_TRY(s.execute("UPDATE reports SET status = ?, handled_by = ?, handled_at = ? WHERE id = ?",
                       {store::Value{status}, VEIL_TRY(engine_.fields().encode(s, rows[0].text(4), kPurpose, "report.handler", staff_id)),
                        store::Value{clock_.now()}, store::Value{report_id}}));
    VEIL_TRY(engine_.audit().append(s, {staff_id, "moderation.report_" + status, rows[0].text(4), {{"report", report_id}}}));
    return Report{report_id, rows[0].text(0), rows[0].text(1), "", status, std::nullopt, "", rows[0].integer(3)};
  });
}

Result<std::vector<Penalty>> Moderation::public_notice() {
  return store::read<std::vector<Penalty>>(db_, [&](store::Session& s) -> Result<std::vector<Penalty>> {
    std::vector<Penalty> out;
    for (const auto& r : VEIL_TRY(s.query(std::string(kPenaltyColumns) + "WHERE room_id IS NULL AND created_at > ? ORDER BY created_at DESC LIMIT 100",
                                          {store::Value{clock_.now() - 90LL * 24 * 60 * kMinute}})))
      out.push_back(penalty_of(r));
    return out;
  });
}

}  // namespace veil::live
