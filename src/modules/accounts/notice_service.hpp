#pragma once
// In-app notices ([000] 我们将会在审核后在App内告知您申请结果; [004] penalty notices): a per-account
// inbox. A notice's body is JSON parameters for the client to render in the reader's language
// (e.g. {"reason": "…"}), never a pre-rendered sentence, and holds only what its reader may see.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/engine.hpp"

namespace veil::accounts {

struct Notice {
  std::string id;
  std::string kind;  // streamer_approved, streamer_rejected, penalty_muted, …
  nlohmann::json body;
  Millis created_at = 0;
  bool read = false;
};

class NoticeService {
 public:
  NoticeService(store::Database& db, engine::Engine& engine, const Clock& clock) : db_(db), engine_(engine), clock_(clock) {}

  // Inside the caller's transaction, so a decision and its notice commit together.
  Status post(store::Session& s, const std::string& account_id, std::string_view kind, const nlohmann::json& body);
  // Newest first, at most 100.
  Result<std::vector<Notice>> list(const std::string& account_id);
  Result<std::int64_t> unread_count(const std::string& account_id);
  // Marks the reader's own notice read; another account's id is not_found.
  Status mark_read(const std::string& account_id, const std::string& notice_id);

 private:
  store::Database& db_;
  engine::Engine& engine_;
  const Clock& clock_;
};

}  // namespace veil::accounts
