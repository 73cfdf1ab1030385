#pragma once
// Moderation (C12; [004] 违规处理、处罚公示): reports of a message or a person; mutes, kicks, bans
// (room-wide by the host or staff, platform-wide by staff) and deleted messages; a notice to the
// penalised person; every action on the audit trail. The room channel asks `penalty` before a
// viewer joins or posts.
#include <optional>
#include <string>
#include <vector>

#include "modules/accounts/account_service.hpp"
#include "modules/accounts/notice_service.hpp"
#include "modules/live/rooms.hpp"

namespace veil::live {

enum class PenaltyKind { Mute, Ban };

struct Penalty {
  std::string id, kind, reason;
  std::optional<std::string> room_id;  // empty: platform-wide
  std::optional<Millis> until;          // empty: until lifted
  Millis created_at = 0;
};

struct Report {
  std::string id, room_id, reason, note, status;
  std::optional<std::string> message_id;
  std::string message_text;  // for staff review, while the message is kept
  Millis created_at = 0;
};

// Who an action is about: a message (its author), or a person's account (resolved from a card).
struct ModerationTarget {
  std::string account_id;
  std::optional<std::string> message_id;
};

inline const std::vector<std::string>& report_reasons() {
  static const std::vector<std::string> reasons = {"spam", "abuse", "illegal", "privacy", "minor_safety", "other"};
  return reasons;
}

class Moderation {
 public:
  Moderation(store::Database& db, engine::Engine& engine, accounts::AccountService& accounts, accounts::NoticeService& notices,
             Rooms& rooms, const Clock& clock)
      : db_(db), engine_(engine), accounts_(accounts), notices_(notices), rooms_(rooms), clock_(clock) {}

  // The author of a message in a room (not_found otherwise).
  Result<ModerationTarget> message_target(const std::string& room_id, const std::string& message_id);

  // The host (room-wide) or staff (room-wide or, with room_id empty, platform-wide). `minutes` 0
  // means until lifted. Errors: moderator_required (403), moderation_reason_required,
  // moderation_self, moderation_duration_invalid.
  Result<Penalty> penalise(const std::string& moderator_id, const ModerationTarget& target, PenaltyKind kind,
                           const std::optional<std::string>& room_id, int minutes, const std::string& reason);
  Status lift(const std::string& moderator_id, const std::string& penalty_id);
  // Erases the text; the event tells every viewer to remove it.
  Status delete_message(const std::string& moderator_id, const std::string& room_id, const std::string& message_id);
  // Records a kick (the caller disconnects the person) with a notice and an audit entry.
  Status kicked(const std::string& moderator_id, const std::string& room_id, const std::string& account_id, const std::string& reason);

  // The penalty in force for the account in the room (platform-wide ones included), if any.
  Result<std::optional<Penalty>> penalty(const std::string& account_id, const std::string& room_id, PenaltyKind kind);

  // Signed-in viewers report a message or a person. Errors: report_reason_invalid.
  Result<Report> report(const std::string& reporter_id, const std::string& room_id, const ModerationTarget& target,
                        const std::string& reason, const std::string& note);
  Result<std::vector<Report>> reports(const std::string& staff_id, const std::string& status);
  // Staff close a report: dismissed, or acted on (with a platform penalty on its target).
  Result<Report> close_report(const std::string& staff_id, const std::string& report_id, bool dismissed);
  Result<std::string> report_target(const std::string& staff_id, const std::string& report_id);

  // The public notice: platform-wide penalties of the last 90 days, without who received them.
  Result<std::vector<Penalty>> public_notice();

 private:
  Status require_moderator(store::Session& s, const std::string& moderator_id, const std::optional<std::string>& room_id);
  store::Database& db_;
  engine::Engine& engine_;
  accounts::AccountService& accounts_;
  accounts::NoticeService& notices_;
  Rooms& rooms_;
  const Clock& clock_;
};

}  // namespace veil::live
