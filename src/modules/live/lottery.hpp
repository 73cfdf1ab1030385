#pragma once
// Room lotteries (C11; [001] 抽奖): the host opens a draw, viewers present in the room enter, the
// host draws winners with the CSPRNG. The draw is auditable: the audit entry holds the hash of the
// sorted entry ids, the count, and the winning positions. Winners give a name, phone and address
// for delivery only; they are sealed under the winner's key and kept 30 days after delivery.
#include <optional>
#include <string>
#include <vector>

#include "modules/accounts/notice_service.hpp"
#include "modules/live/rooms.hpp"

namespace veil::live {

struct Lottery {
  std::string id, room_id, prize, status;  // status: open | drawn
  int winners_count = 0;
  int entries = 0;
  std::string entries_hash;                 // after the draw
  std::vector<std::string> winner_accounts; // after the draw (server side: cards are built from them)
};

struct Delivery {
  std::string entry_id;
  std::optional<Pi<std::string>> name, phone, address;  // empty until the winner submits
  Millis submitted_at = 0, delivered_at = 0;
};

class Lotteries {
 public:
  Lotteries(store::Database& db, engine::Engine& engine, accounts::NoticeService& notices, Rooms& rooms, const Clock& clock)
      : db_(db), engine_(engine), notices_(notices), rooms_(rooms), clock_(clock) {}

  // Host only, while live. Errors: lottery_prize_invalid, lottery_winners_invalid, lottery_open (409).
  Result<Lottery> open(const std::string& host_id, const std::string& room_id, const std::string& prize, int winners);
  // `present`: the caller checked the person is in the room now. Errors: lottery_not_present,
  // lottery_closed, cohost_self-like lottery_host (the host cannot enter).
  Status enter(const std::string& account_id, const std::string& lottery_id, bool present);
  Result<Lottery> draw(const std::string& host_id, const std::string& lottery_id);
  Result<Lottery> get(const std::string& lottery_id);
  // The room's lotteries, newest first (at most 20): public in the room, like their announcements.
  Result<std::vector<Lottery>> of_room(const std::string& room_id);
  // Does the account hold an entry, did it win, and has it given its delivery details?
  struct Standing {
    bool entered = false, won = false, delivery_submitted = false;
  };
  Result<Standing> standing(const std::string& account_id, const std::string& lottery_id);

  // Winners only. Errors: lottery_not_winner, delivery_invalid.
  Status submit_delivery(const std::string& account_id, const std::string& lottery_id, const std::string& name,
                         const std::string& phone, const std::string& address);
  // The host reads the winners' delivery details to send the prize (audited).
  Result<std::vector<Delivery>> deliveries(const std::string& host_id, const std::string& lottery_id);
  // The first call starts the 30 days of retention; marking again changes nothing.
  Status mark_delivered(const std::string& host_id, const std::string& lottery_id, const std::string& entry_id);

 private:
  Result<Lottery> load(store::Session& s, const std::string& lottery_id);
  Status require_host(store::Session& s, const Lottery& lottery, const std::string& host_id);
  store::Database& db_;
  engine::Engine& engine_;
  accounts::NoticeService& notices_;
  Rooms& rooms_;
  const Clock& clock_;
};

}  // namespace veil::live
