#pragma once
// How a busy room's events are paired (room_hub.hpp); its own header so the configuration can
// name it without the hub.
#include <chrono>
#include <cstddef>

namespace veil::live {

// When a room delivers its events in pairs.
struct RoundPolicy {
  // Rooms with at least this many connections on the node; fewer get every event at once.
  std::size_t from_connections = 500;
  // An event waits for a partner only when the room's previous event came less than `hold`
  // before it (a quiet room's events go at once), and never longer than `hold`. Zero turns
  // pairing off. The room's connections are split in two halves that pair in turn, [1 2][3 4]
  // and [2 3][4 5], so every event is written to one half only, and a pair's first event waits
  // for its partner and half a room's writes rather than the whole room's. Frames that wait while
  // a half is being written all go in its next write, so under load the writes grow by themselves.
  // 60 ms pairs the events of a room with more than about 17 a second.
  std::chrono::milliseconds hold{60};
};

}  // namespace veil::live
