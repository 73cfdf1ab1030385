#include "modules/live/lottery.hpp"

#include <sodium.h>

#include <algorithm>

#include "modules/accounts/phone_number.hpp"
#include "util/encoding.hpp"

namespace veil::live {

namespace {
constexpr std::string_view kDelivery = "lottery_delivery";

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
}  // namespace

Result<Lottery> Lotteries::load(store::Session& s, const std::string& lottery_id) {
  auto rows = VEIL_TRY(s.query("SELECT id, room_id, prize, status, winners_count, entries_hash FROM lotteries WHERE id = ?",
                               {store::Value{lottery_id}}));
  if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "lottery"};
  Lottery l{rows[0].text(0), rows[0].text(1), rows[0].text(2), rows[0].text(3), static_cast<int>(rows[0].integer(4)), 0,
            rows[0].is_null(5) ? "" : rows[0].text(5), {}};
  auto entries = VEIL_TRY(s.query("SELECT account_id, won FROM lottery_entries WHERE lottery_id = ?", {store::Value{lottery_id}}));
  l.entries = static_cast<int>(entries.size());
  for (const auto& e : entries)
    if (e.integer(1)) l.winner_accounts.push_back(e.text(0));
  return l;
}

Status Lotteries::require_host(store::Session& s, const Lottery& lottery, const std::string& host_id) {
  if (VEIL_TRY(rooms_.get(s, lottery.room_id)).host.id != host_id) return Error{ErrorCode::NotFound, "not_found", "lottery"};
  return {};
}

Result<Lottery> Lotteries::open(const std::string& host_id, const std::string& room_id, const std::string& prize, int winners) {
  if (code_points(prize) < 2 || code_points(prize) > 60) return Error::invalid("lottery_prize_invalid");
  if (winners < 1 || winners > 100) return Error::invalid("lottery_winners_invalid");
  return store::transact<Lottery>(db_, [&](store::Session& s) -> Result<Lottery> {
    Room room = VEIL_TRY(rooms_.get(s, room_id));
    if (room.host.id != host_id) return Error{ErrorCode::NotFound, "room_not_found", ""};
    if (room.status != RoomStatus::Live) return Error{ErrorCode::Conflict, "not_live", ""};
    if (!VEIL_TRY(s.query("SELECT 1 FROM lotteries WHERE room_id = ? AND status = 'open'", {store::Value{room_id}})).empty())
      return Error{ErrorCode::Conflict, "lottery_open", ""};
    std::string id = random_id(12);
    VEIL_TRY(s.execute("INSERT INTO lotteries (id, room_id, session_id, prize, winners_count, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)",
                       {store::Value{id}, store::Value{room_id}, store::Value{room.session_id}, store::Value{prize},
                        store::Value{std::int64_t{winners}}, store::Value{clock_.now()}}));
    VEIL_TRY(engine_.audit().append(s, {host_id, "lottery.opened", id, {{"room", room_id}, {"winners", winners}}}));
    return load(s, id);
  });
}

Status Lotteries::enter(const std::string& account_id, const std::string& lottery_id, bool present) {
  return db_.transaction([&](store::Session& s) -> Status {
    Lottery l = VEIL_TRY(load(s, lottery_id));
    if (l.status != "open") return Error{ErrorCode::Conflict, "lottery_closed", ""};
    if (VEIL_TRY(rooms_.get(s, l.room_id)).host.id == account_id) return Error{ErrorCode::Conflict, "lottery_host", ""};
    if (!present) return Error{ErrorCode::PermissionDenied, "lottery_not_present", ""};
    VEIL_TRY(s.execute("INSERT INTO lottery_entries (id, lottery_id, account_id, won, entered_at) VALUES (?, ?, ?, 0, ?) "
                       "ON CONFLICT (lottery_id, account_id) DO NOTHING",
                       {store::Value{random_id(12)}, store::Value{lottery_id},
                        VEIL_TRY(engine_.fields().encode(s, account_id, "live_interaction", "lottery_entry.account", account_id)),
                        store::Value{clock_.now()}}));
    return {};
  });
}

Result<Lottery> Lotteries::draw(const std::string& host_id, const std::string& lottery_id) {
  return store::transact<Lottery>(db_, [&](store::Session& s) -> Result<Lottery> {
    Lottery l = VEIL_TRY(load(s, lottery_id));
    VEIL_TRY(require_host(s, l, host_id));
    if (l.status != "open") return Error{ErrorCode::Conflict, "lottery_closed", ""};
    auto rows = VEIL_TRY(s.query("SELECT id, account_id FROM lottery_entries WHERE lottery_id = ? ORDER BY id", {store::Value{lottery_id}}));
    // The audit record lets anyone holding the log check the draw: the entries (as the hash of
    // their sorted ids), how many there were, and which positions won.
    std::string ids;
    for (const auto& r : rows) ids += r.text(0) + "\n";
    std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const std::uint8_t*>(ids.data()), ids.size());
    std::vector<std::size_t> positions(rows.size());
    for (std::size_t i = 0; i < positions.size(); ++i) positions[i] = i;
    // A partial Fisher–Yates shuffle with the CSPRNG (randombytes_uniform has no modulo bias).
    std::size_t picks = std::min<std::size_t>(static_cast<std::size_t>(l.winners_count), positions.size());
    for (std::size_t i = 0; i < picks; ++i) {
      std::size_t j = i + randombytes_uniform(static_cast<std::uint32_t>(positions.size() - i));
      std::swap(positions[i], positions[j]);
    }
    positions.resize(picks);
    Room room = VEIL_TRY(rooms_.get(s, l.room_id));
    for (std::size_t p : positions) {
      VEIL_TRY(s.execute("UPDATE lottery_entries SET won = 1 WHERE id = ?", {store::Value{rows[p].text(0)}}));
      VEIL_TRY(notices_.post(s, rows[p].text(1), "lottery_won", {{"prize", l.prize}, {"room_title", room.title}, {"lottery_id", lottery_id}}));
    }
    std::string hash = to_hex(digest);
    VEIL_TRY(s.execute("UPDATE lotteries SET status = 'drawn', entries_hash = ?, drawn_at = ? WHERE id = ?",
                       {store::Value{hash}, store::Value{clock_.now()}, store::Value{lottery_id}}));
    VEIL_TRY(engine_.audit().append(s, {host_id, "lottery.drawn", lottery_id,
                                        {{"entries", rows.size()}, {"entries_sha256", hash}, {"winning_positions", positions}}}));
    return load(s, lottery_id);
  });
}

Result<Lottery> Lotteries::get(const std::string& lottery_id) {
  return store::read<Lottery>(db_, [&](store::Session& s) { return load(s, lottery_id); });
}

Result<std::vector<Lottery>> Lotteries::of_room(const std::string& room_id) {
  return store::read<std::vector<Lottery>>(db_, [&](store::Session& s) -> Result<std::vector<Lottery>> {
    std::vector<Lottery> out;
    for (const auto& r : VEIL_TRY(s.query("SELECT id FROM lotteries WHERE room_id = ? ORDER BY created_at DESC, id LIMIT 20",
                                          {store::Value{room_id}})))
      out.push_back(VEIL_TRY(load(s, r.text(0))));
    return out;
  });
}

Result<Lotteries::Standing> Lotteries::standing(const std::string& account_id, const std::string& lottery_id) {
  return store::read<Standing>(db_, [&](store::Session& s) -> Result<Standing> {
    auto rows = VEIL_TRY(s.query("SELECT e.won, d.entry_id FROM lottery_entries e LEFT JOIN lottery_deliveries d ON d.entry_id = e.id "
                                 "WHERE e.lottery_id = ? AND e.account_id = ?",
                                 {store::Value{lottery_id}, store::Value{account_id}}));
    if (rows.empty()) return Standing{};
    return Standing{true, rows[0].integer(0) != 0, !rows[0].is_null(1)};
  });
}

Status Lotteries::submit_delivery(const std::string& account_id, const std::string& lottery_id, const std::string& name,
                                  const std::string& phone_input, const std::string& address) {
  auto phone = accounts::normalize_phone(phone_input);
  if (!phone || code_points(name) < 2 || code_points(name) > 40 || code_points(address) < 5 || code_points(address) > 200)
    return Error::invalid("delivery_invalid");
  return db_.transaction([&](store::Session& s) -> Status {
    auto rows = VEIL_TRY(s.query("SELECT id FROM lottery_entries WHERE lottery_id = ? AND account_id = ? AND won = 1",
                                 {store::Value{lottery_id}, store::Value{account_id}}));
    if (rows.empty()) return Error{ErrorCode::PermissionDenied, "lottery_not_winner", ""};
    auto& f = engine_.fields();
    VEIL_TRY(s.execute(
        "INSERT INTO lottery_deliveries (entry_id, account_id, name_cipher, phone_cipher, address_cipher, submitted_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (entry_id) DO UPDATE SET name_cipher = excluded.name_cipher, phone_cipher = excluded.phone_cipher, "
        "address_cipher = excluded.address_cipher, submitted_at = excluded.submitted_at",
        {store::Value{rows[0].text(0)}, VEIL_TRY(f.encode(s, account_id, kDelivery, "delivery.account", account_id)),
         VEIL_TRY(f.encode(s, account_id, kDelivery, "delivery.name", name)),
         VEIL_TRY(f.encode(s, account_id, kDelivery, "delivery.phone", phone->reveal())),
         VEIL_TRY(f.encode(s, account_id, kDelivery, "delivery.address", address)), store::Value{clock_.now()}}));
    return {};
  });
}

Result<std::vector<Delivery>> Lotteries::deliveries(const std::string& host_id, const std::string& lottery_id) {
  return store::transact<std::vector<Delivery>>(db_, [&](store::Session& s) -> Result<std::vector<Delivery>> {
    Lottery l = VEIL_TRY(load(s, lottery_id));
    VEIL_TRY(require_host(s, l, host_id));
    auto rows = VEIL_TRY(s.query(
        "SELECT e.id, d.account_id, d.name_cipher, d.phone_cipher, d.address_cipher, d.submitted_at, d.delivered_at "
        "FROM lottery_entries e LEFT JOIN lottery_deliveries d ON d.entry_id = e.id WHERE e.lottery_id = ? AND e.won = 1 ORDER BY e.id",
        {store::Value{lottery_id}}));
    std::vector<Delivery> out;
    auto& f = engine_.fields();
    for (const auto& r : rows) {
      Delivery d{r.text(0), std::nullopt, std::nullopt, std::nullopt, 0, 0};
      if (!r.is_null(1)) {
        std::string winner = r.text(1);
        d.name = VEIL_TRY(f.decode(s, winner, kDelivery, "delivery.name", r.at(2)));
        d.phone = VEIL_TRY(f.decode(s, winner, kDelivery, "delivery.phone", r.at(3)));
        d.address = VEIL_TRY(f.decode(s, winner, kDelivery, "delivery.address", r.at(4)));
        d.submitted_at = r.integer(5);
        d.delivered_at = r.is_null(6) ? 0 : r.integer(6);
      }
      out.push_back(std::move(d));
    }
    VEIL_TRY(engine_.audit().append(s, {host_id, "lottery.deliveries_read", lottery_id, {{"count", out.size()}}}));
    return out;
  });
}

Status Lotteries::mark_delivered(const std::string& host_id, const std::string& lottery_id, const std::string& entry_id) {
  return db_.transaction([&](store::Session& s) -> Status {
    Lottery l = VEIL_TRY(load(s, lottery_id));
    VEIL_TRY(require_host(s, l, host_id));
    auto rows = VEIL_TRY(s.query("SELECT d.entry_id FROM lottery_deliveries d JOIN lottery_entries e ON e.id = d.entry_id "
                                 "WHERE d.entry_id = ? AND e.lottery_id = ?",
                                 {store::Value{entry_id}, store::Value{lottery_id}}));
    if (rows.empty()) return Error{ErrorCode::NotFound, "not_found", "delivery"};
    // From here the 30 days of the data map run (retention_from = delivered_at).
    if (VEIL_TRY(s.execute("UPDATE lottery_deliveries SET delivered_at = ? WHERE entry_id = ? AND delivered_at IS NULL",
                           {store::Value{clock_.now()}, store::Value{entry_id}})) == 1)
      VEIL_TRY(engine_.audit().append(s, {host_id, "lottery.delivered", lottery_id, {{"entry", entry_id}}}));
    return {};
  });
}

}  // namespace veil::live
