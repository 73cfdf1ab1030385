#include "modules/live/room_hub.hpp"

#include <algorithm>
#include <utility>

namespace veil::live {

namespace {
std::shared_ptr<const std::string> frame_of(const nlohmann::json& message) {
  return std::make_shared<const std::string>(message.dump());
}

// The bus payload is an object's text; the frame puts the sequence number first.
std::shared_ptr<const std::string> sequenced_frame(std::int64_t seq, const std::string& payload) {
  std::string frame;
  frame.reserve(payload.size() + 24);
  frame.append("{\"seq\":").append(std::to_string(seq));
  if (payload.size() > 2) frame.append(",").append(payload, 1, std::string::npos);
  else frame.append("}");
  return std::make_shared<const std::string>(std::move(frame));
}
}  // namespace

RoomHub::RoomHub(RoomBus& bus, std::string node_id, std::chrono::milliseconds count_interval, RoundPolicy rounds)
    : bus_(bus), node_id_(std::move(node_id)), count_interval_(count_interval), rounds_(rounds) {
  bus_.set_handler([this](const BusMessage& m) { on_bus(m); });
  counter_ = std::thread([this] { count_loop(); });
  round_sender_ = std::thread([this] { round_loop(); });
}

RoomHub::~RoomHub() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  round_due_.notify_all();
  counter_.join();
  round_sender_.join();
  bus_.set_handler({});
}

int RoomHub::total(const Room& room) const {
  int sum = 0;
  for (const auto& [node, count] : room.node_counts) sum += count;
  return sum;
}

int RoomHub::local_count(const Room& room) {
  int media_only = 0;
  for (const auto& [resource, viewer] : room.media) media_only += room.local_connections_of.contains(viewer) ? 0 : 1;
  return static_cast<int>(room.members.size()) + media_only;
}

void RoomHub::recount(Room& room) {
  room.node_counts[node_id_] = local_count(room);
  room.count_changed = true;
}

bool RoomHub::Room::pairing() const {
  for (const Half& half : halves)
    if (!half.waiting.empty() || half.writing) return true;
  return false;
}

void RoomHub::broadcast(Room& room, const std::shared_ptr<const std::string>& frame) {
  // The hub's lock is held: every output here belongs to a member, which holds it alive.
  for (const Half& half : room.halves)
    for (const auto& output : half.outputs) output.out->deliver(frame);
}

Result<std::uint64_t> RoomHub::join(const std::string& room_id, RoomMember member, std::optional<std::int64_t> resume_after) {
  // Subscribing first means no event can fall between the welcome's sequence number and the
  // member's first delivery; the bus is never called with the hub's lock held.
  VEIL_TRY(bus_.subscribe(room_id));
  bool announce = false;
  std::string viewer = member.viewer_id;
  nlohmann::json card = member.card;
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    Room& room = rooms_[room_id];
    id = next_connection_++;
    const bool first = room.local_connections_of[viewer]++ == 0;
    announce = member.signed_in && first;
    auto out = member.out;
    // The smaller half; frames waiting there already are in the welcome's state, not for it.
    Half& half = room.halves[room.halves[0].outputs.size() <= room.halves[1].outputs.size() ? 0 : 1];
    half.outputs.push_back({out, half.waiting.size()});
    room.members.emplace(id, std::move(member));
    recount(room);

    bool resumed = false;
    std::vector<std::shared_ptr<const std::string>> replay;
    if (resume_after && *resume_after <= room.last_seq) {
      std::int64_t oldest_held = room.recent.empty() ? room.last_seq + 1 : room.recent.front().first;
      if (*resume_after + 1 >= oldest_held) {
        resumed = true;
        for (const auto& [seq, frame] : room.recent)
          if (seq > *resume_after) replay.push_back(frame);
      }
    }
    nlohmann::json cards = nlohmann::json::array();
    for (const auto& [v, c] : room.presence) cards.push_back(c);
    out->deliver(frame_of({{"type", "welcome"},
                           {"seq", room.last_seq},
                           {"resumed", resumed},
                           {"viewer", viewer},
                           {"viewers", total(room)},
                           {"presence", cards}}));
    for (auto& frame : replay) out->deliver(frame);
  }
  if (announce) {
    card["viewer"] = viewer;
    VEIL_TRY(publish(room_id, {{"type", "presence"}, {"action", "enter"}, {"card", card}}));
  }
  wake_.notify_all();
  return id;
}

void RoomHub::leave(const std::string& room_id, std::uint64_t connection) {
  std::optional<std::string> departed;
  {
    std::lock_guard lock(mutex_);
    auto it = rooms_.find(room_id);
    if (it == rooms_.end()) return;
    Room& room = it->second;
    auto m = room.members.find(connection);
    if (m == room.members.end()) return;
    if (--room.local_connections_of[m->second.viewer_id] == 0) {
      room.local_connections_of.erase(m->second.viewer_id);
      if (m->second.signed_in) departed = m->second.viewer_id;
    }
    for (Half& half : room.halves) {
      auto& outputs = half.outputs;
      auto at = std::find_if(outputs.begin(), outputs.end(), [&](const auto& o) { return o.out == m->second.out; });
      if (at == outputs.end()) continue;
      *at = std::move(outputs.back());
      outputs.pop_back();
    }
    room.members.erase(m);
    recount(room);
  }
  if (departed) (void)publish(room_id, {{"type", "presence"}, {"action", "leave"}, {"viewer", *departed}});
  wake_.notify_all();
}

Status RoomHub::publish(const std::string& room_id, const nlohmann::json& event) {
  return bus_.publish_event(room_id, event.dump());
}

void RoomHub::send_to(const std::string& room_id, std::uint64_t connection, const nlohmann::json& message) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return;
  auto m = it->second.members.find(connection);
  if (m != it->second.members.end()) m->second.out->deliver(frame_of(message));
}

Status RoomHub::end_room(const std::string& room_id) { return publish(room_id, {{"type", "ended"}}); }

void RoomHub::media_watching(const std::string& room_id, const std::string& resource_id, const std::string& viewer_id) {
  // Subscribed like a connection's room, so the room's end reaches this node and clears it and
  // the other nodes' counts arrive.
  (void)bus_.subscribe(room_id);
  {
    std::lock_guard lock(mutex_);
    Room& room = rooms_[room_id];
    room.media[resource_id] = viewer_id;
    recount(room);
  }
  wake_.notify_all();
}

void RoomHub::media_stopped(const std::string& room_id, const std::string& resource_id) {
  {
    std::lock_guard lock(mutex_);
    auto it = rooms_.find(room_id);
    if (it == rooms_.end() || it->second.media.erase(resource_id) == 0) return;
    recount(it->second);
  }
  wake_.notify_all();
}

int RoomHub::viewers(const std::string& room_id) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room_id);
  return it == rooms_.end() ? 0 : total(it->second);
}

std::optional<std::string> RoomHub::account_of(const std::string& room_id, const std::string& viewer_id) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return std::nullopt;
  for (const auto& [id, m] : it->second.members)
    if (m.signed_in && m.viewer_id == viewer_id) return m.account_id;
  return std::nullopt;
}

bool RoomHub::present(const std::string& room_id, const std::string& account_id) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return false;
  for (const auto& [id, m] : it->second.members)
    if (m.signed_in && m.account_id == account_id) return true;
  return false;
}

void RoomHub::send_to_account(const std::string& room_id, const std::string& account_id, const nlohmann::json& message) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return;
  auto frame = frame_of(message);
  for (const auto& [id, m] : it->second.members)
    if (m.signed_in && m.account_id == account_id) m.out->deliver(frame);
}

void RoomHub::remove(const std::string& room_id, const std::string& account_id, const nlohmann::json& message) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return;
  auto frame = frame_of(message);
  for (const auto& [id, m] : it->second.members) {
    if (!m.signed_in || m.account_id != account_id) continue;
    m.out->deliver(frame);
    m.out->close();  // the connection's close leaves the room (and announces it) as usual
  }
}

void RoomHub::on_bus(const BusMessage& message) {
  auto parsed = nlohmann::json::parse(message.payload, nullptr, false);
  if (!parsed.is_object()) return;
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(message.room_id);
  if (it == rooms_.end()) return;
  Room& room = it->second;
  std::shared_ptr<const std::string> frame;
  if (message.seq == 0) {
    // A node's viewer count: shown when the room's total changes.
    if (!parsed.contains("node") || !parsed.contains("viewers")) return;
    room.node_counts[parsed["node"].get<std::string>()] = parsed["viewers"].get<int>();
    const int count = total(room);
    if (count == room.shown_count) return;
    room.shown_count = count;
    frame = frame_of({{"type", "viewers"}, {"count", count}});
  } else {
    if (message.seq <= room.last_seq) return;  // already seen (a bus may redeliver)
    frame = sequenced_frame(message.seq, message.payload);
  }
  const bool ended = apply(room, message.seq, parsed, frame);
  const auto now = std::chrono::steady_clock::now();
  const bool partner_expected = now - room.last_event < rounds_.hold;
  room.last_event = now;
  // Once frames wait or are being written, every event follows them, so the order holds
  // whatever the room's size does meanwhile.
  const bool busy = rounds_.hold.count() > 0 && room.members.size() >= rounds_.from_connections;
  if (busy || room.pairing()) {
    room.ended = room.ended || ended;
    pair(message.room_id, room, frame, partner_expected && !ended, now);
    return;
  }
  broadcast(room, frame);
  if (ended) close_room(it);
}

void RoomHub::pair(const std::string& room_id, Room& room, const std::shared_ptr<const std::string>& frame,
                   bool partner_expected, std::chrono::steady_clock::time_point now) {
  for (int h = 0; h < 2; ++h) {
    Half& half = room.halves[h];
    half.waiting.push_back(frame);
    // This half's turn (or no partner coming): written now. The other half waits for the next
    // event, or the hold, whichever comes first.
    const bool now_or_never = !partner_expected || room.turn % 2 == static_cast<std::uint64_t>(h);
    const auto due = now_or_never ? now : now + rounds_.hold;
    if (half.waiting.size() > 1) {
      if (half.due <= due) continue;  // due sooner already
      rounds_due_.erase({half.due, room_id, h});
    }
    half.due = due;
    rounds_due_.emplace(due, room_id, h);
  }
  ++room.turn;
  round_due_.notify_one();
}

bool RoomHub::apply(Room& room, std::int64_t seq, const nlohmann::json& event,
                    const std::shared_ptr<const std::string>& frame) {
  if (seq == 0) return false;  // a viewer count changes nothing here
  const std::string type = event.value("type", "");
  if (type == "presence") {
    if (event.value("action", "") == "enter") room.presence[event["card"].value("viewer", "")] = event["card"];
    else room.presence.erase(event.value("viewer", ""));
  }
  room.last_seq = seq;
  room.recent.emplace_back(seq, frame);
  if (room.recent.size() > kReplayEvents) room.recent.pop_front();
  return type == "ended";
}

void RoomHub::close_room(std::map<std::string, Room>::iterator room) {
  // The room's state goes with it; the bus subscription stays (it is harmless, and the bus may
  // be the caller here).
  for (auto& [id, member] : room->second.members) member.out->close();
  for (int h = 0; h < 2; ++h)
    if (!room->second.halves[h].waiting.empty()) rounds_due_.erase({room->second.halves[h].due, room->first, h});
  rooms_.erase(room);
}

void RoomHub::write_half(std::unique_lock<std::mutex>& lock, std::map<std::string, Room>::iterator it, int h) {
  Room& room = it->second;
  Half& half = room.halves[h];
  auto frames = std::exchange(half.waiting, {});
  // Written without the lock: a viewer who joins meanwhile was welcomed with these frames
  // counted, and one who leaves is held alive by the copy until its frames are dropped. The room
  // stays: only this thread closes a room whose frames wait or are being written.
  auto outputs = half.outputs;
  for (auto& output : half.outputs) output.skip = 0;
  half.writing = true;
  lock.unlock();
  const std::span<const std::shared_ptr<const std::string>> all(frames);
  for (const auto& output : outputs)
    if (output.skip < all.size()) output.out->deliver_all(all.subspan(output.skip));
  outputs.clear();
  lock.lock();
  half.writing = false;
  if (room.ended && !room.pairing()) close_room(it);
}

void RoomHub::round_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (rounds_due_.empty()) {
      round_due_.wait(lock);
      continue;
    }
    const auto [due, room_id, half] = *rounds_due_.begin();
    if (std::chrono::steady_clock::now() < due) {
      round_due_.wait_until(lock, due);
      continue;
    }
    rounds_due_.erase(rounds_due_.begin());
    auto it = rooms_.find(room_id);
    if (it != rooms_.end() && !it->second.halves[half].waiting.empty()) write_half(lock, it, half);
  }
}

void RoomHub::count_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, count_interval_);
    if (stopping_) break;
    std::vector<std::pair<std::string, int>> changed;
    for (auto& [id, room] : rooms_) {
      if (!room.count_changed) continue;
      room.count_changed = false;
      changed.emplace_back(id, local_count(room));
    }
    if (changed.empty()) continue;
    lock.unlock();
    for (const auto& [id, count] : changed)
      (void)bus_.publish_signal(id, nlohmann::json{{"node", node_id_}, {"viewers", count}}.dump());
    lock.lock();
    // Wait out the interval before the next round: counts change often, frames should not.
    wake_.wait_for(lock, count_interval_, [this] { return stopping_; });
  }
}

}  // namespace veil::live
