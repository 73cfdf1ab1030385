#include "modules/live/redis_bus.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>

namespace veil::live {

namespace {
// Numbers the event and publishes it atomically: publish order is sequence order.
constexpr const char* kPublishScript =
    "local seq = redis.call('INCR', KEYS[1]) redis.call('PUBLISH', KEYS[2], seq .. ' ' .. ARGV[1]) return seq";

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// Connecting gives up after 2 s; reading then blocks as long as it must (the subscriber waits
// for messages indefinitely).
redisContext* open(const std::string& host, int port) {
  timeval timeout{2, 0};
  redisContext* c = redisConnectWithTimeout(host.c_str(), port, timeout);
  if (c && (c->err || redisSetTimeout(c, timeval{0, 0}) != REDIS_OK)) {
    redisFree(c);
    return nullptr;
  }
  return c;
}
}  // namespace

Result<std::unique_ptr<RedisBus>> RedisBus::connect(const std::string& host, int port, std::string prefix) {
  std::unique_ptr<RedisBus> bus(new RedisBus(host, port, std::move(prefix)));
  VEIL_TRY(bus->open_publisher());
  bus->subscriber_ = open(host, port);
  if (!bus->subscriber_) return Error{ErrorCode::Unavailable, "redis_unavailable", "cannot connect the subscriber"};
  Reply ok(static_cast<redisReply*>(redisCommand(bus->subscriber_, "PSUBSCRIBE %sroom:*", bus->prefix_.c_str())));
  if (!ok) return Error{ErrorCode::Unavailable, "redis_unavailable", "PSUBSCRIBE failed"};
  bus->reader_ = std::thread([raw = bus.get()] { raw->read_loop(); });
  return bus;
}

RedisBus::~RedisBus() {
  stopping_ = true;
  {
    std::lock_guard lock(reader_mutex_);
    // Wakes the reader blocked in redisGetReply; it sees stopping_ and returns.
    if (subscriber_) ::shutdown(subscriber_->fd, SHUT_RDWR);
  }
  if (reader_.joinable()) reader_.join();
  if (subscriber_) redisFree(subscriber_);
  if (publisher_) redisFree(publisher_);
}

Status RedisBus::open_publisher() {
  if (publisher_) redisFree(publisher_);
  publisher_ = open(host_, port_);
  if (!publisher_) return Error{ErrorCode::Unavailable, "redis_unavailable", "cannot connect the publisher"};
  return {};
}

void RedisBus::set_handler(Handler handler) {
  std::lock_guard lock(reader_mutex_);
  handler_ = std::move(handler);
}

Status RedisBus::subscribe(const std::string& room_id) {
  std::lock_guard lock(reader_mutex_);
  rooms_.insert(room_id);
  return {};
}

Status RedisBus::unsubscribe(const std::string& room_id) {
  std::lock_guard lock(reader_mutex_);
  rooms_.erase(room_id);
  return {};
}

Status RedisBus::publish_event(const std::string& room_id, const std::string& payload) {
  std::lock_guard lock(publish_mutex_);
  std::string counter = prefix_ + "seq:" + room_id, channel = prefix_ + "room:" + room_id;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!publisher_) VEIL_TRY(open_publisher());
    Reply r(static_cast<redisReply*>(redisCommand(publisher_, "EVAL %s 2 %s %s %b", kPublishScript, counter.c_str(),
                                                  channel.c_str(), payload.data(), payload.size())));
    if (r && r->type == REDIS_REPLY_INTEGER) return {};
    if (r) return Error{ErrorCode::Unavailable, "redis_unavailable", r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply"};
    redisFree(publisher_);  // the connection broke: one fresh attempt
    publisher_ = nullptr;
  }
  return Error{ErrorCode::Unavailable, "redis_unavailable", "publish failed"};
}

Status RedisBus::publish_signal(const std::string& room_id, const std::string& payload) {
  std::lock_guard lock(publish_mutex_);
  if (!publisher_) VEIL_TRY(open_publisher());
  std::string channel = prefix_ + "room:" + room_id, message = "0 " + payload;
  Reply r(static_cast<redisReply*>(redisCommand(publisher_, "PUBLISH %s %b", channel.c_str(), message.data(), message.size())));
  if (!r) {
    redisFree(publisher_);
    publisher_ = nullptr;
    return Error{ErrorCode::Unavailable, "redis_unavailable", "publish failed"};
  }
  return {};
}

void RedisBus::dispatch(const std::string& channel, const std::string& message) {
  std::string room = channel.substr(prefix_.size() + 5);  // after "<prefix>room:"
  auto space = message.find(' ');
  if (space == std::string::npos) return;
  BusMessage m{room, std::stoll(message.substr(0, space)), message.substr(space + 1)};
  Handler handler;
  {
    std::lock_guard lock(reader_mutex_);
    if (!rooms_.count(room) || !handler_) return;
    handler = handler_;
  }
  handler(m);
}

void RedisBus::read_loop() {
  while (!stopping_) {
    void* raw = nullptr;
    if (redisGetReply(subscriber_, &raw) == REDIS_OK) {
      Reply reply(static_cast<redisReply*>(raw));
      // A pattern message: ["pmessage", pattern, channel, payload].
      if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 4 && std::string(reply->element[0]->str) == "pmessage")
        dispatch(std::string(reply->element[2]->str, reply->element[2]->len), std::string(reply->element[3]->str, reply->element[3]->len));
      continue;
    }
    if (stopping_) return;
    // The connection broke: reconnect and subscribe again. Events published meanwhile are
    // missed here; viewers recover them by resuming (or reloading) on their next reconnect.
    spdlog::warn("room bus: Redis subscriber connection lost; reconnecting");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::lock_guard lock(reader_mutex_);
    if (stopping_) return;
    redisFree(subscriber_);
    subscriber_ = open(host_, port_);
    while (!subscriber_ && !stopping_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      subscriber_ = open(host_, port_);
    }
    if (subscriber_) Reply(static_cast<redisReply*>(redisCommand(subscriber_, "PSUBSCRIBE %sroom:*", prefix_.c_str())));
  }
}

}  // namespace veil::live
