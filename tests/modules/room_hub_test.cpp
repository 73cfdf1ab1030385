// The room hub over both buses: one node in process, and two nodes sharing rooms through a real
// redis-server on loopback (the multi-node design of [ARCHITECTURE]).
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <span>

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
  void deliver_all(std::span<const std::shared_ptr<const std::string>> frames) override {
    Write write{std::chrono::steady_clock::now(), {}};
    for (const auto& frame : frames) write.frames.push_back(json::parse(*frame));
    {
      std::lock_guard lock(mutex_);
      writes_.push_back(std::move(write));
    }
    RoomSubscriber::deliver_all(frames);
  }
  void close() override {
    std::lock_guard lock(mutex_);
    closed_ = true;
    arrived_.notify_all();
  }
  // Each round delivered: when, and its frames.
  struct Write {
    std::chrono::steady_clock::time_point at;
    std::vector<json> frames;
  };
  std::vector<Write> writes() {
    std::lock_guard lock(mutex_);
    return writes_;
  }
  bool wait_closed() {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, 5s, [&] { return closed_; });
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
  std::vector<Write> writes_;
  bool closed_ = false;
};

std::vector<std::int64_t> comment_seqs(Recorder& r) {
  std::vector<std::int64_t> seqs;
  for (const auto& f : r.all())
    if (f.value("type", "") == "comment") seqs.push_back(f["seq"]);
  return seqs;
}

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
  EXPECT_EQ(comment_seqs(*a), (std::vector<std::int64_t>{1, 2, 3}));
  auto b = std::make_shared<Recorder>();
  ASSERT_TRUE(hub.join("r", anonymous("b", b), 1).ok());
  std::vector<json> frames;  // viewer counts may come between, whenever the counter runs
  for (const auto& f : b->all())
    if (f.value("type", "") != "viewers") frames.push_back(f);
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

TEST(RoomHub, WebRtcViewersCountOncePerPersonBesideTheChannel) {
  InProcessBus bus;
  RoomHub hub(bus, "n1", 20ms);
  auto a = std::make_shared<Recorder>();
  auto connection = hub.join("r", anonymous("a", a), std::nullopt);
  ASSERT_TRUE(connection.ok());
  EXPECT_EQ(hub.viewers("r"), 1);
  hub.media_watching("r", "res-a", "a");  // the same person's player
  EXPECT_EQ(hub.viewers("r"), 1);
  hub.media_watching("r", "res-x", "x");  // an outside WHEP player, not on the channel
  EXPECT_EQ(hub.viewers("r"), 2);
  EXPECT_TRUE(a->find("viewers", [](const json& f) { return f["count"] == 2; })) << "shown in the room";
  hub.media_stopped("r", "res-x");
  EXPECT_EQ(hub.viewers("r"), 1);
  hub.leave("r", *connection);
  EXPECT_EQ(hub.viewers("r"), 1) << "the player still plays after the chat closed";
  hub.media_stopped("r", "res-a");
  hub.media_stopped("r", "res-a");  // told twice (a DELETE racing the peer's end): once is enough
  hub.media_stopped("r", "unknown");
  EXPECT_EQ(hub.viewers("r"), 0);
}

// Rounds: a room with at least two connections here is busy; an event waits up to 1 s for company.
constexpr RoundPolicy kTestRounds{2, 1000ms};

// Joins two anonymous viewers and waits until both have been shown the count of two, so no
// viewer count is on its way when the test's own events start.
void join_busy_room(RoomHub& hub, const std::shared_ptr<Recorder>& a, const std::shared_ptr<Recorder>& b) {
  ASSERT_TRUE(hub.join("r", anonymous("a", a), std::nullopt).ok());
  ASSERT_TRUE(hub.join("r", anonymous("b", b), std::nullopt).ok());
  for (auto* viewer : {a.get(), b.get()})
    ASSERT_TRUE(viewer->find("viewers", [](const json& f) { return f["count"] == 2; }));
}

Status comment(RoomHub& hub, const std::string& text) { return hub.publish("r", {{"type", "comment"}, {"text", text}}); }
auto text_is(const std::string& text) {
  return [text](const json& f) { return f.value("text", "") == text; };
}

// The frames' texts of each write a viewer received from the `from`th on.
std::vector<std::vector<std::string>> texts_of_writes(Recorder& viewer, std::size_t from) {
  std::vector<std::vector<std::string>> texts;
  auto writes = viewer.writes();
  for (std::size_t i = from; i < writes.size(); ++i) {
    texts.emplace_back();
    for (const auto& f : writes[i].frames) texts.back().push_back(f.value("text", "?"));
  }
  return texts;
}
using Writes = std::vector<std::vector<std::string>>;

TEST(RoomHub, ABusyRoomPairsItsEventsHalfTheRoomAtATimeAndAQuietRoomsGoAtOnce) {
  InProcessBus bus;
  RoomHub hub(bus, "n1", 20ms, kTestRounds);
  auto a = std::make_shared<Recorder>(), b = std::make_shared<Recorder>();  // one in each half
  ASSERT_NO_FATAL_FAILURE(join_busy_room(hub, a, b));
  std::this_thread::sleep_for(kTestRounds.hold + 100ms);  // the room falls quiet

  // Nothing came for longer than the hold: no partner is expected, the event goes at once.
  auto published = std::chrono::steady_clock::now();
  ASSERT_TRUE(comment(hub, "1").ok());
  for (auto* viewer : {a.get(), b.get()}) {
    ASSERT_TRUE(viewer->find("comment", text_is("1")));
    EXPECT_LT(viewer->writes().back().at - published, kTestRounds.hold) << "a quiet room's event did not wait";
  }
  const std::size_t before[] = {a->writes().size(), b->writes().size()};

  // Events in quick succession: one half is written at each event, and each write after the
  // first holds a pair. Which half goes first depends on the room's earlier events.
  ASSERT_TRUE(comment(hub, "2").ok());
  Recorder* first = nullptr;
  for (int i = 0; i < 5000 && !first; ++i, std::this_thread::sleep_for(1ms))
    for (auto* viewer : {a.get(), b.get()})
      if (!first && !comment_seqs(*viewer).empty() && comment_seqs(*viewer).back() == 2) first = viewer;
  ASSERT_TRUE(first) << "comment 2 reached no one";
  Recorder* second = first == a.get() ? b.get() : a.get();
  const std::size_t first_before = first == a.get() ? before[0] : before[1];
  const std::size_t second_before = first == a.get() ? before[1] : before[0];
  ASSERT_TRUE(comment(hub, "3").ok());
  ASSERT_TRUE(second->find("comment", text_is("3")));
  published = std::chrono::steady_clock::now();
  ASSERT_TRUE(comment(hub, "4").ok());
  ASSERT_TRUE(first->find("comment", text_is("4")));
  ASSERT_TRUE(second->find("comment", text_is("4")));
  EXPECT_EQ(texts_of_writes(*first, first_before), (Writes{{"2"}, {"3", "4"}}));
  EXPECT_EQ(texts_of_writes(*second, second_before), (Writes{{"2", "3"}, {"4"}}));
  // The last event had no partner: it waited the hold, no longer than it takes to notice.
  EXPECT_GE(second->writes().back().at - published, kTestRounds.hold);
  EXPECT_EQ(comment_seqs(*a), (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(comment_seqs(*b), (std::vector<std::int64_t>{1, 2, 3, 4}));
}

// A subscriber whose rounds block until the test lets them go: a round being written.
class StuckRecorder final : public RoomSubscriber {
 public:
  void deliver(const std::shared_ptr<const std::string>&) override {}  // the welcome
  void deliver_all(std::span<const std::shared_ptr<const std::string>>) override {
    std::unique_lock lock(mutex_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return released_; });
  }
  void close() override {}
  bool wait_entered() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 5s, [&] { return entered_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false, released_ = false;
};

TEST(RoomHub, ABusyRoomsRoundIsWrittenWithoutStallingTheNodesOtherRooms) {
  InProcessBus bus;
  RoomHub hub(bus, "n1", 20ms, kTestRounds);
  auto stuck = std::make_shared<StuckRecorder>();
  auto other = std::make_shared<Recorder>(), small_room = std::make_shared<Recorder>();
  ASSERT_TRUE(hub.join("r", anonymous("a", other), std::nullopt).ok());
  ASSERT_TRUE(hub.join("r", {"b", false, "", json::object(), stuck}, std::nullopt).ok());
  ASSERT_TRUE(hub.join("quiet", anonymous("c", small_room), std::nullopt).ok());
  ASSERT_TRUE(comment(hub, "x").ok());
  ASSERT_TRUE(comment(hub, "y").ok());
  ASSERT_TRUE(stuck->wait_entered()) << "the round is being written";
  auto published = std::async(std::launch::async, [&] {
    return hub.publish("quiet", {{"type", "comment"}, {"text", "meanwhile"}}).ok();
  });
  const bool done = published.wait_for(2s) == std::future_status::ready;
  EXPECT_TRUE(done) << "another room's event waited for a busy room's round";
  EXPECT_TRUE(small_room->find("comment", text_is("meanwhile")));
  stuck->release();
  EXPECT_TRUE(published.get());
  EXPECT_TRUE(other->find("comment", text_is("y")));
}

TEST(RoomHub, AViewerJoiningWhileARoundWaitsMissesNothingAndGetsNothingTwice) {
  InProcessBus bus;
  RoomHub hub(bus, "n1", 20ms, kTestRounds);
  auto a = std::make_shared<Recorder>(), b = std::make_shared<Recorder>(), late = std::make_shared<Recorder>();
  ASSERT_TRUE(hub.join("r", anonymous("a", a), std::nullopt).ok());
  ASSERT_TRUE(hub.join("r", anonymous("b", b), std::nullopt).ok());
  for (int i = 1; i <= 2; ++i) ASSERT_TRUE(hub.publish("r", {{"type", "comment"}, {"text", std::to_string(i)}}).ok());
  ASSERT_TRUE(hub.join("r", signed_in("late", "迟到", late), std::nullopt).ok());  // its card joins the round too
  ASSERT_TRUE(hub.publish("r", {{"type", "comment"}, {"text", "3"}}).ok());
  ASSERT_TRUE(late->find("comment", [](const json& f) { return f["text"] == "3"; }));
  // Whether or not the round had gone out when it joined, the welcome's sequence number and the
  // events after it must fit together: every event once, none missing.
  auto frames = late->all();
  ASSERT_EQ(frames[0]["type"], "welcome");
  std::int64_t expected = frames[0]["seq"].get<std::int64_t>() + 1;
  for (std::size_t i = 1; i < frames.size(); ++i) {
    if (!frames[i].contains("seq")) continue;  // viewer counts carry none
    EXPECT_EQ(frames[i]["seq"].get<std::int64_t>(), expected++) << frames[i].dump();
  }
  EXPECT_EQ(expected, 5) << "comments 1-3 and the late viewer's presence card";
  EXPECT_TRUE(b->find("presence", [](const json& f) { return f["card"]["nickname"] == "迟到"; }));
}

TEST(RoomHub, ASmallRoomGetsEveryEventAtOnce) {
  InProcessBus bus;
  RoomHub hub(bus, "n1", 20ms, kTestRounds);
  auto a = std::make_shared<Recorder>();
  ASSERT_TRUE(hub.join("r", anonymous("a", a), std::nullopt).ok());
  ASSERT_TRUE(hub.publish("r", {{"type", "comment"}, {"text", "1"}}).ok());
  EXPECT_EQ(comment_seqs(*a), (std::vector<std::int64_t>{1})) << "delivered inside publish, no round";
  EXPECT_TRUE(a->writes().empty());
}

TEST(RoomHub, EndingABusyRoomDeliversTheWaitingRoundThenCloses) {
  InProcessBus bus;
  RoomHub hub(bus, "n1", 20ms, kTestRounds);
  auto a = std::make_shared<Recorder>(), b = std::make_shared<Recorder>();
  ASSERT_NO_FATAL_FAILURE(join_busy_room(hub, a, b));
  ASSERT_TRUE(hub.publish("r", {{"type", "comment"}, {"text", "last words"}}).ok());
  ASSERT_TRUE(hub.end_room("r").ok());
  ASSERT_TRUE(a->wait_closed());
  auto frames = a->all();
  ASSERT_GE(frames.size(), 3u);
  EXPECT_EQ(frames[frames.size() - 2]["text"], "last words");
  EXPECT_EQ(frames.back()["type"], "ended");
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
  for (int i = 0; i < 100 && (comment_seqs(*on_a).size() < 100 || comment_seqs(*on_b).size() < 100); ++i)
    std::this_thread::sleep_for(50ms);
  auto a = comment_seqs(*on_a), b = comment_seqs(*on_b);
  ASSERT_EQ(a.size(), 100u);
  EXPECT_EQ(a, b) << "both nodes deliver the same events in the same order";
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(a.back() - a.front(), 99) << "no gaps";
}

}  // namespace
}  // namespace veil::live
