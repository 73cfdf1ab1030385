#pragma once
// The bus of several `veil serve` nodes: Redis pub/sub. An event is numbered and published in one
// Lua script (INCR of the room's counter, then PUBLISH), so Redis delivers every room's events in
// sequence order to every node. Each node pattern-subscribes to all rooms once, on a connection
// read by its own thread, and hands on only the rooms it serves; a lost connection is re-opened.
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "modules/live/room_bus.hpp"

struct redisContext;

namespace veil::live {

class RedisBus final : public RoomBus {
 public:
  // `prefix` namespaces the keys and channels ("veil:" by default), e.g. per deployment.
  static Result<std::unique_ptr<RedisBus>> connect(const std::string& host, int port, std::string prefix = "veil:");
  ~RedisBus() override;

  void set_handler(Handler handler) override;
  Status subscribe(const std::string& room_id) override;
  Status unsubscribe(const std::string& room_id) override;
  Status publish_event(const std::string& room_id, const std::string& payload) override;
  Status publish_signal(const std::string& room_id, const std::string& payload) override;

 private:
  RedisBus(std::string host, int port, std::string prefix) : host_(std::move(host)), port_(port), prefix_(std::move(prefix)) {}
  Status open_publisher();
  void read_loop();
  void dispatch(const std::string& channel, const std::string& message);

  std::string host_;
  int port_;
  std::string prefix_;
  std::mutex publish_mutex_;
  redisContext* publisher_ = nullptr;
  std::mutex reader_mutex_;  // guards subscriber_ (shutdown from another thread) and handler_
  redisContext* subscriber_ = nullptr;
  Handler handler_;
  std::set<std::string> rooms_;  // under reader_mutex_
  std::atomic<bool> stopping_{false};
  std::thread reader_;
};

}  // namespace veil::live
