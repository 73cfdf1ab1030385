#include "modules/accounts/notice_service.hpp"

#include "util/encoding.hpp"

namespace veil::accounts {

Status NoticeService::post(store::Session& s, const std::string& account_id, std::string_view kind,
                           const nlohmann::json& body) {
  store::Value stored = VEIL_TRY(engine_.fields().encode(s, account_id, "notices", "notice.body", body.dump()));
  VEIL_TRY(s.execute("INSERT INTO notices (id, account_id, kind, body, created_at) VALUES (?, ?, ?, ?, ?)",
                     {store::Value{random_id()}, store::Value{account_id}, store::Value{std::string(kind)}, stored,
                      store::Value{clock_.now()}}));
  return {};
}

Result<std::vector<Notice>> NoticeService::list(const std::string& account_id) {
  return store::read<std::vector<Notice>>(db_, [&](store::Session& s) -> Result<std::vector<Notice>> {
    auto rows = VEIL_TRY(s.query(
        "SELECT id, kind, body, created_at, read_at FROM notices WHERE account_id = ? ORDER BY created_at DESC, id LIMIT 100",
        {store::Value{account_id}}));
    std::vector<Notice> out;
    for (const auto& r : rows) {
      auto body = VEIL_TRY(engine_.fields().decode(s, account_id, "notices", "notice.body", r.at(2)));
      out.push_back({r.text(0), r.text(1), nlohmann::json::parse(body ? body->reveal() : "{}", nullptr, false),
                     r.integer(3), !r.is_null(4)});
    }
    return out;
  });
}

Result<std::int64_t> NoticeService::unread_count(const std::string& account_id) {
  return store::read<std::int64_t>(db_, [&](store::Session& s) -> Result<std::int64_t> {
    auto rows = VEIL_TRY(s.query("SELECT COUNT(*) FROM notices WHERE account_id = ? AND read_at IS NULL", {store::Value{account_id}}));
    return rows[0].integer(0);
  });
}

Status NoticeService::mark_read(const std::string& account_id, const std::string& notice_id) {
  return db_.with_session([&](store::Session& s) -> Status {
    auto found = VEIL_TRY(s.query("SELECT 1 FROM notices WHERE id = ? AND account_id = ?",
                                  {store::Value{notice_id}, store::Value{account_id}}));
    if (found.empty()) return Error{ErrorCode::NotFound, "not_found", "notice"};
    VEIL_TRY(s.execute("UPDATE notices SET read_at = ? WHERE id = ? AND account_id = ? AND read_at IS NULL",
                       {store::Value{clock_.now()}, store::Value{notice_id}, store::Value{account_id}}));
    return {};
  });
}

}  // namespace veil::accounts
