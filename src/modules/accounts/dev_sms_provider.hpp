#pragma once
// The development SMS provider: instead of a gateway, an outbox table (numbers only as blind
// indexes, message text sealed) that `GET /api/v1/dev/outbox` shows when the server runs with
// --dev. Honest about what it is: nothing leaves the machine.
#include <vector>

#include "engine/engine.hpp"
#include "modules/accounts/sms_provider.hpp"
#include "store/database.hpp"

namespace veil::accounts {

struct OutboxMessage {
  Millis at = 0;
  std::string text;
};

class DevSmsProvider final : public SmsProvider {
 public:
  DevSmsProvider(store::Database& db, engine::Engine& engine, const Clock& clock) : db_(db), engine_(engine), clock_(clock) {}
  Status send(const Pi<std::string>& phone, std::string_view text) override;
  // Messages to `phone` in the last day, newest first.
  Result<std::vector<OutboxMessage>> outbox(const Pi<std::string>& phone);

 private:
  store::Database& db_;
  engine::Engine& engine_;
  const Clock& clock_;
};

}  // namespace veil::accounts
