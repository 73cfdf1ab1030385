#include "modules/accounts/dev_sms_provider.hpp"

namespace veil::accounts {

namespace {
// The outbox stands in for the gateway, not for any one person: its messages are sealed under a
// key of its own, destroyed with the data directory.
constexpr const char* kOutboxSubject = "system:dev-sms-outbox";
constexpr const char* kPurpose = "dev_outbox";
}  // namespace

Status DevSmsProvider::send(const Pi<std::string>& phone, std::string_view text) {
  return db_.transaction([&](store::Session& s) -> Status {
    auto& fields = engine_.fields();
    Millis now = clock_.now();
    // Retention: one day (datamap outbox.*). Older messages go on every send.
    VEIL_TRY(s.execute("DELETE FROM sms_outbox WHERE sent_at < ?", {store::Value{now - kDay}}));
    store::Value index = VEIL_TRY(fields.encode(s, kOutboxSubject, kPurpose, "outbox.phone_index", phone.reveal()));
    store::Value body = VEIL_TRY(fields.encode(s, kOutboxSubject, kPurpose, "outbox.message", text));
    VEIL_TRY(s.execute("INSERT INTO sms_outbox (id, phone_bidx, body_cipher, sent_at) VALUES (?, ?, ?, ?)",
                       {store::Value{random_id()}, index, body, store::Value{now}}));
    return {};
  });
}

Result<std::vector<OutboxMessage>> DevSmsProvider::outbox(const Pi<std::string>& phone) {
  return store::read<std::vector<OutboxMessage>>(db_, [&](store::Session& s) -> Result<std::vector<OutboxMessage>> {
    auto& fields = engine_.fields();
    std::string index = VEIL_TRY(fields.index_of("outbox.phone_index", phone.reveal()));
    auto rows = VEIL_TRY(s.query(
        "SELECT sent_at, body_cipher FROM sms_outbox WHERE phone_bidx = ? AND sent_at >= ? ORDER BY sent_at DESC, id",
        {store::Value{index}, store::Value{clock_.now() - kDay}}));
    std::vector<OutboxMessage> out;
    for (const auto& r : rows) {
      auto text = VEIL_TRY(fields.decode(s, kOutboxSubject, kPurpose, "outbox.message", r.at(1)));
      out.push_back({r.integer(0), text ? text->reveal() : std::string{}});
    }
    return out;
  });
}

}  // namespace veil::accounts
