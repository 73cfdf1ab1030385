#pragma once
// Gifts (C9; [004] 一(三)5(3): 打赏时收集您的头像、昵称及打赏的数据，并向其他用户进行展示): during a
// live session a viewer spends coins on a gift for the host. One ledger transaction moves the
// coins: out of the sender's wallet, the host's share into their earnings, the rest to the
// platform. Minors cannot tip ([004] 六), nor can a person banned from the room.
#include <array>
#include <string>

#include "modules/accounts/account_service.hpp"
#include "modules/live/moderation.hpp"
#include "modules/live/rooms.hpp"
#include "modules/wallet/ledger.hpp"

namespace veil::live {

struct GiftKind {
  std::string_view id;
  std::int64_t price = 0;  // coins
};
inline constexpr std::array<GiftKind, 4> kGifts = {{{"rose", 1}, {"heart", 10}, {"rocket", 100}, {"castle", 520}}};
// The host's share of a gift, in percent; the platform keeps the rest (rounded in its favour).
inline constexpr std::int64_t kHostSharePercent = 50;
inline constexpr int kMaxGiftQuantity = 99;

struct GiftSent {
  std::string transaction_id;
  bool replayed = false;  // the same request was sent before: nothing moved now, announce nothing
  std::string room_id, gift;
  int quantity = 0;
  std::int64_t coins = 0;    // what it cost
  std::int64_t balance = 0;  // the sender's coins after it
};

class Gifts {
 public:
  Gifts(store::Database& db, accounts::AccountService& accounts, Rooms& rooms, Moderation& moderation, wallet::Ledger& ledger)
      : db_(db), accounts_(accounts), rooms_(rooms), moderation_(moderation), ledger_(ledger) {}

  // Errors: gift_unknown, gift_quantity_invalid, request_id_invalid, minor_payment_refused (403),
  // banned (403), not_live (409), gift_self, insufficient_balance (409), request_id_reused.
  Result<GiftSent> send(const std::string& sender_id, const std::string& room_id, const std::string& gift, int quantity,
                        const std::string& request_id);

 private:
  store::Database& db_;
  accounts::AccountService& accounts_;
  Rooms& rooms_;
  Moderation& moderation_;
  wallet::Ledger& ledger_;
};

}  // namespace veil::live
