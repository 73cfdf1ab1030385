// The room hub over both buses: one node in process, and two nodes sharing rooms through a real
// redis-server on loopback (the multi-node design of [ARCHITECTURE]).
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "modules/live/in_process_bus.hpp"
#include "modules/live/redis_bus.hpp"
#include "modules/live/room_hub.hpp"
#include "support/redis_server.hpp"

namespace veil::live {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class Recorder final : public RoomSubscriber {
 public:
  void deliver(const std::shared_ptr<const std::string>& frame) override {
    std::lock_guard lock(mutex_);
    frames_.push_back(json::parse(*frame));
    arrived_.notify_all();
  }
  void close() override {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  // The first frame (from `from` on) matching `type`, waiting up to 5 s.
  std::optional<json> find(const std::string& type, const std::function<bool(const json&)>& also = nullptr) {
    std::unique_lock lock(mutex_);
    std::optional<json> found;
    arrived_.wait_for(lock, 5s, [&] {
      for (const auto& f : frames_)
        if (f.value("type", "") == type && (!also || also(f))) return found = f, true;
      return false;
    });
    return found;
  }
  std::vector<json> all() {
    std::lock_guard lock(mutex_);
    return frames_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<json> frames_;
  bool closed_ = false;
};

RoomMember anonymous(const std::string& id, std::shared_ptr<Recorder> out) { return {id, false, "", json::object(), std::move(out)}; }
RoomMember signed_in(const std::string& id, const std::string& nickname, std::shared_ptr<Recorder> out) {
  return {id, true, "account-" + id, json{{"nickname", nickname}}, std::move(out)};
}

TEST(RoomHub, EventsArriveInSequenceAndAResumeReplaysOnlyWhatWasMissed) {
  InProcessBus bus;
  RoomHub hub(bus, "n1", 20ms);
  auto a = std::make_shared<Recorder>();
  ASSERT_TRUE(hub.join("r", anonymous("a", a), std::nullopt).ok());
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(hub.publish("r", {{"type", "comment"}, {"text", std::to_string(i)}}).ok());
  std::vector<std::int64_t> seqs;
  for (const auto& f : a->all())
    if (f.value("type", "") == "comment") seqs.push_back(f["seq"]);
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 3}));
  auto b = std::make_shared<Recorder>();
  ASSERT_TRUE(hub.join("r", anonymous("b", b), 1).ok());
  auto frames = b->all();
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0]["type"], "welcome");
  EXPECT_TRUE(frames[0]["resumed"].get<bool>());
  EXPECT_EQ(frames[1]["text"], "2");
  EXPECT_EQ(frames[2]["text"], "3");
  auto c = std::make_shared<Recorder>();
  ASSERT_TRUE(hub.join("r", anonymous("c", c), 99).ok());
  EXPECT_FALSE(c->all()[0]["resumed"].get<bool>()) << "a sequence the hub never issued cannot be resumed";
}

TEST(RoomHub, EndingARoomClosesEveryConnection) {
  InProcessBus bus;
  RoomHub hub(bus, "n1", 20ms);
  auto a = std::make_shared<Recorder>();
  ASSERT_TRUE(hub.join("r", anonymous("a", a), std::nullopt).ok());
  ASSERT_TRUE(hub.end_room("r").ok());
  EXPECT_TRUE(a->find("ended"));
  EXPECT_EQ(hub.viewers("r"), 0);
}

class RoomHubOverRedis : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = test::RedisServer::start();
    if (!started.ok() && started.error().reason == test::RedisServer::kBinaryMissing) GTEST_SKIP() << "SKIPPED: no redis-server";
    ASSERT_TRUE(started.ok()) << started.error().detail;
    redis_ = std::move(started).value();
  }
  std::unique_ptr<RedisBus> bus() {
    auto b = RedisBus::connect("127.0.0.1", redis_->port(), "test:");
    EXPECT_TRUE(b.ok());
    return std::move(b).value();
  }
  std::unique_ptr<test::RedisServer> redis_;
};

TEST_F(RoomHubOverRedis, TwoNodesSharePresenceEventsAndViewerCounts) {
  auto bus_a = bus(), bus_b = bus();
  RoomHub node_a(*bus_a, "a", 20ms), node_b(*bus_b, "b", 20ms);
  auto on_a = std::make_shared<Recorder>(), on_b = std::make_shared<Recorder>();
  ASSERT_TRUE(node_a.join("room", anonymous("x", on_a), std::nullopt).ok());
  ASSERT_TRUE(node_b.join("room", signed_in("y", "乙", on_b), std::nullopt).ok());
  auto entered = on_a->find("presence");
  ASSERT_TRUE(entered) << "a card shown on node b reaches node a";
  EXPECT_EQ((*entered)["card"]["nickname"], "乙");
  ASSERT_TRUE(node_a.publish("room", {{"type", "comment"}, {"text", "你好"}}).ok());
  auto seen_a = on_a->find("comment"), seen_b = on_b->find("comment");
  ASSERT_TRUE(seen_a && seen_b);
  EXPECT_EQ((*seen_a)["seq"], (*seen_b)["seq"]) << "one numbering across nodes";
  EXPECT_TRUE(on_a->find("viewers", [](const json& f) { return f["count"] == 2; })) << "counts add up across nodes";
  EXPECT_TRUE(on_b->find("viewers", [](const json& f) { return f["count"] == 2; }));
  // A node that starts serving the room later receives every event from then on, in order.
  auto bus_c = bus();
  RoomHub node_c(*bus_c, "c", 20ms);
  auto on_c = std::make_shared<Recorder>();
  ASSERT_TRUE(node_c.join("room", anonymous("z", on_c), std::nullopt).ok());
  ASSERT_TRUE(node_b.publish("room", {{"type", "question"}, {"text", "几点开始？"}}).ok());
  auto q = on_c->find("question");
  ASSERT_TRUE(q);
  EXPECT_GT((*q)["seq"].get<std::int64_t>(), (*seen_a)["seq"].get<std::int64_t>());
}

TEST_F(RoomHubOverRedis, ManyPublishersOneOrder) {
  auto bus_a = bus(), bus_b = bus();
  RoomHub node_a(*bus_a, "a", 20ms), node_b(*bus_b, "b", 20ms);
  auto on_a = std::make_shared<Recorder>(), on_b = std::make_shared<Recorder>();
  ASSERT_TRUE(node_a.join("room", anonymous("x", on_a), std::nullopt).ok());
  ASSERT_TRUE(node_b.join("room", anonymous("y", on_b), std::nullopt).ok());
  std::thread t1([&] { for (int i = 0; i < 50; ++i) (void)node_a.publish("room", {{"type", "comment"}, {"text", "a"}}); });
  std::thread t2([&] { for (int i = 0; i < 50; ++i) (void)node_b.publish("room", {{"type", "comment"}, {"text", "b"}}); });
  t1.join();
  t2.join();
  auto count_of = [](Recorder& r) {
    std::vector<std::int64_t> seqs;
    for (const auto& f : r.all())
      if (f.value("type", "") == "comment") seqs.push_back(f["seq"]);
    return seqs;
  };
  for (int i = 0; i < 100 && (count_of(*on_a).size() < 100 || count_of(*on_b).size() < 100); ++i) std::this_thread::sleep_for(50ms);
  auto a = count_of(*on_a), b = count_of(*on_b);
  ASSERT_EQ(a.size(), 100u);
  EXPECT_EQ(a, b) << "both nodes deliver the same events in the same order";
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(a.back() - a.front(), 99) << "no gaps";
}

}  // namespace
}  // namespace veil::live
