#pragma once
// The rooms this node serves: who is connected, the presence cards shown in each room ([000]:
// a logged-in viewer entering is shown with a card; leaving removes it), the last events for
// viewers who reconnect, and live viewer counts. Every room event goes out through the RoomBus
// and comes back numbered; the hub turns it into one frame, serialised once and shared by every
// connection of the room on this node. A node learns presence from the events it receives: one
// that starts serving a room late does not know the cards announced before (a Redis hash of
// cards would close that gap when several nodes serve one room).
//
// A busy room delivers its events in pairs (RoundPolicy), each connection getting both in one
// write: writing to a socket costs the kernel about as much for one small frame as for several,
// so pairing halves what a busy room's fan-out costs. Small rooms deliver every event at once,
// under the hub's lock; a busy room's writes are made by the hub's round thread without it, so
// one large room never stalls the others on the node.
#include <array>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "modules/live/room_bus.hpp"
#include "modules/live/round_policy.hpp"

namespace veil::live {

// One connection's outgoing side (the WebSocket, or a test's recorder).
class RoomSubscriber {
 public:
  virtual ~RoomSubscriber() = default;
  // Thread-safe. The subscriber keeps a reference only if it must hold the frame for later.
  virtual void deliver(const std::shared_ptr<const std::string>& frame) = 0;
  // A round: several frames in order, written together when the transport can.
  virtual void deliver_all(std::span<const std::shared_ptr<const std::string>> frames) {
    for (const auto& frame : frames) deliver(frame);
  }
  virtual void close() = 0;  // after the room's final frame
};

struct RoomMember {
  std::string viewer_id;                // pseudonymous, per room
  bool signed_in = false;
  std::string account_id;               // server side only (moderation); never in a frame
  nlohmann::json card;                  // the presence card (signed-in viewers only)
  std::shared_ptr<RoomSubscriber> out;
};

class RoomHub {
 public:
  // `count_interval`: how often changed viewer counts are shared and shown.
  RoomHub(RoomBus& bus, std::string node_id, std::chrono::milliseconds count_interval = std::chrono::milliseconds(500),
          RoundPolicy rounds = {});
  ~RoomHub();

  // Adds a connection and sends it, in order: a welcome (last sequence number, presence cards,
  // viewer count), then every event after `resume_after` when the hub still holds them
  // (`resumed` in the welcome says whether it did). Returns the connection's id.
  Result<std::uint64_t> join(const std::string& room_id, RoomMember member, std::optional<std::int64_t> resume_after);
  void leave(const std::string& room_id, std::uint64_t connection);
  // A room event for everyone in the room, on every node.
  Status publish(const std::string& room_id, const nlohmann::json& event);
  // A frame for one connection only (an error, a pong).
  void send_to(const std::string& room_id, std::uint64_t connection, const nlohmann::json& message);
  // Ends the room's channel on every node: each connection receives {"type":"ended"} and is closed.
  Status end_room(const std::string& room_id);

  // WebRTC viewers (the media layer's, by its resource id), counted with the channel's
  // connections: a person whose pseudonym has a connection here already counts once. Viewers by
  // HLS alone hold no credential and are not counted.
  void media_watching(const std::string& room_id, const std::string& resource_id, const std::string& viewer_id);
  void media_stopped(const std::string& room_id, const std::string& resource_id);

  int viewers(const std::string& room_id);
  // The account behind a connected viewer's pseudonym on this node (moderators act on cards).
  std::optional<std::string> account_of(const std::string& room_id, const std::string& viewer_id);
  // Is the account connected to the room on this node?
  bool present(const std::string& room_id, const std::string& account_id);
  // A frame for the account's own connections in the room on this node (e.g. the host's).
  void send_to_account(const std::string& room_id, const std::string& account_id, const nlohmann::json& message);
  // Sends `message` to every connection of the account in the room on this node, then closes them.
  void remove(const std::string& room_id, const std::string& account_id, const nlohmann::json& message);

  static constexpr std::size_t kReplayEvents = 512;

 private:
  // One half of a busy room's connections, and the frames waiting for them.
  struct Half {
    struct Output {
      std::shared_ptr<RoomSubscriber> out;
      std::size_t skip = 0;  // waiting frames from before it joined (its welcome counted them)
    };
    std::vector<Output> outputs;  // walked once per write: an array, not the members' map
    std::vector<std::shared_ptr<const std::string>> waiting;
    std::chrono::steady_clock::time_point due;  // while frames wait
    bool writing = false;                       // the round thread writes it, without the lock
  };
  struct Room {
    std::map<std::uint64_t, RoomMember> members;
    std::array<Half, 2> halves;
    std::map<std::string, int> local_connections_of;     // viewer id -> connections here
    std::map<std::string, std::string> media;            // WebRTC viewers here: resource id -> viewer id
    std::map<std::string, nlohmann::json> presence;      // viewer id -> card, from events (all nodes)
    std::deque<std::pair<std::int64_t, std::shared_ptr<const std::string>>> recent;  // for resume
    std::int64_t last_seq = 0;
    std::map<std::string, int> node_counts;              // node id -> viewers there
    bool count_changed = false;
    int shown_count = -1;
    std::chrono::steady_clock::time_point last_event;    // when the previous event arrived
    std::uint64_t turn = 0;                              // which half writes at the next event
    bool ended = false;                                  // closes once both halves are written
    bool pairing() const;                                // a half waits or is being written
  };
  void on_bus(const BusMessage& message);
  // Applies one event to the room's state (presence, replay); true when it ends the room.
  bool apply(Room& room, std::int64_t seq, const nlohmann::json& event, const std::shared_ptr<const std::string>& frame);
  void close_room(std::map<std::string, Room>::iterator room);
  // Adds the frame to both halves: one is written now, the other waits for the next event.
  void pair(const std::string& room_id, Room& room, const std::shared_ptr<const std::string>& frame, bool partner_expected,
            std::chrono::steady_clock::time_point now);
  void write_half(std::unique_lock<std::mutex>& lock, std::map<std::string, Room>::iterator room, int half);
  void broadcast(Room& room, const std::shared_ptr<const std::string>& frame);
  void count_loop();
  void round_loop();
  int total(const Room& room) const;
  // This node's count: connections, and WebRTC viewers without one here.
  static int local_count(const Room& room);
  void recount(Room& room);

  RoomBus& bus_;
  std::string node_id_;
  std::chrono::milliseconds count_interval_;
  RoundPolicy rounds_;
  std::mutex mutex_;
  std::map<std::string, Room> rooms_;
  std::uint64_t next_connection_ = 1;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread counter_;
  // Halves whose frames wait, by the time they are due: (due, room id, half).
  std::set<std::tuple<std::chrono::steady_clock::time_point, std::string, int>> rounds_due_;
  std::condition_variable round_due_;
  std::thread round_sender_;
};

}  // namespace veil::live
