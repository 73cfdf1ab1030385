#include "modules/live/gifts.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "modules/wallet/recharges.hpp"

namespace veil::live {

namespace {
constexpr std::string_view kPurpose = "gifting";
}  // namespace

Result<GiftSent> Gifts::send(const std::string& sender_id, const std::string& room_id, const std::string& gift, int quantity,
                             const std::string& request_id) {
  auto kind = std::find_if(kGifts.begin(), kGifts.end(), [&](const GiftKind& g) { return g.id == gift; });
  if (kind == kGifts.end()) return Error::invalid("gift_unknown");
  if (quantity < 1 || quantity > kMaxGiftQuantity) return Error::invalid("gift_quantity_invalid");
  VEIL_TRY(wallet::check_request_id(request_id));
  if (VEIL_TRY(moderation_.penalty(sender_id, room_id, PenaltyKind::Ban)))
    return Error{ErrorCode::PermissionDenied, "banned", ""};
  std::int64_t total = kind->price * quantity;
  std::int64_t host_share = total * kHostSharePercent / 100;
  std::string detail = nlohmann::json{{"gift", gift}, {"quantity", quantity}, {"room", room_id}}.dump();
  return wallet::posting<GiftSent>(db_, [&](store::Session& s) -> Result<GiftSent> {
    VEIL_TRY(wallet::refuse_minor(s, accounts_, sender_id));
    Room room = VEIL_TRY(rooms_.get(s, room_id));
    if (room.host.id == sender_id) return Error::invalid("gift_self");
    std::string from = VEIL_TRY(ledger_.wallet_of(s, sender_id, wallet::WalletKind::Coins, kPurpose));
    // A retried request is answered before the room's state: a gift sent while live stays sent.
    std::vector<wallet::Leg> legs = {{from, -total}, {std::string(wallet::kRevenueWallet), total - host_share}};
    if (room.status != RoomStatus::Live && !VEIL_TRY(ledger_.posted(s, sender_id, request_id)))
      return Error{ErrorCode::Conflict, "not_live", ""};
    if (host_share > 0)
      legs.push_back({VEIL_TRY(ledger_.wallet_of(s, room.host.id, wallet::WalletKind::Earnings, kPurpose)), host_share});
    wallet::Posted posted = VEIL_TRY(ledger_.post(s, {std::string(kPurpose), sender_id, request_id, "gift", room_id, detail, legs}));
    return GiftSent{posted.transaction_id, posted.replayed, room_id, gift, quantity, total, VEIL_TRY(ledger_.balance(s, from))};
  });
}

}  // namespace veil::live
