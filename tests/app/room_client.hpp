#pragma once
// A WebSocket client of the room channel for tests: frames are read on a thread of its own and
// queued, so a test can wait (with a deadline) for the next frame of a given type.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace veil::test {

class RoomClient {
 public:
  RoomClient(unsigned short port, const std::string& room_id);
  ~RoomClient();

  void send(const nlohmann::json& message);
  void send_raw(const std::string& text);
  // The next frame whose "type" is `type` (earlier frames of other types are dropped), or nullopt.
  std::optional<nlohmann::json> next(const std::string& type, std::chrono::milliseconds wait = std::chrono::seconds(5));
  // Every frame received so far, without waiting.
  std::deque<nlohmann::json> drain();
  bool closed();
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace veil::test
