// OBS ingest (C2): an RTMP encoder pushes to nginx-rtmp with the stream key the API hands out, Veil
// accepts only a live session's publish credential, and the push plays in the room's HLS output;
// ending the room or the co-host's grant ends the encoder's push; an encoder joining a room on air
// does not stall it; nginx dying ends only the push. The encoder here is GStreamer's rtmp2sink
// with x264 and AAC, what OBS sends.
#include <gst/gst.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/live_fixtures.hpp"
#include "media/gst_support.hpp"
#include "media/support/media_probe.hpp"
#include "media/support/webrtc_publisher.hpp"
#include "support/process_lookup.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
class Rtmp : public ::testing::TestWithParam<store::Backend> {};

void with_rtmp(app::Config& config) {
  config.media.rtmp = true;
  config.media.rtmp_port = 0;  // a free port
}

// An encoder pushing a solid colour and a tone to `url` until it is stopped or the server ends
// the push.
class Encoder {
 public:
  static std::unique_ptr<Encoder> start(const std::string& url, const std::string& colour = "0xff00ff00") {
    auto made = media::parse_pipeline(
        "videotestsrc is-live=true pattern=solid-color foreground-color=" + colour +
        " ! video/x-raw,width=640,height=360,framerate=30/1 ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30"
        " ! h264parse ! flvmux name=mux streamable=true ! rtmp2sink name=sink location=\"" + url + "\""
        " audiotestsrc is-live=true ! audioconvert ! avenc_aac ! aacparse ! mux.");
    if (!made.ok()) return nullptr;
    std::unique_ptr<Encoder> e(new Encoder(made.value()));
    gst_element_set_state(e->pipeline_, GST_STATE_PLAYING);
    return e;
  }
  ~Encoder() {
    gst_element_set_state(pipeline_, GST_STATE_NULL);
    gst_object_unref(pipeline_);
  }
  // Whether the push ended (the server refused or dropped it) within `within`.
  bool ended(std::chrono::milliseconds within) {
    media::GstRef<GstBus> bus(gst_element_get_bus(pipeline_));
    auto types = static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
    GstMessage* message = gst_bus_timed_pop_filtered(bus.get(), static_cast<GstClockTime>(within.count()) * GST_MSECOND, types);
    if (message == nullptr) return false;
    gst_message_unref(message);
    return true;
  }

 private:
  explicit Encoder(GstElement* pipeline) : pipeline_(pipeline) {}
  GstElement* pipeline_;
};

struct LiveRoom {
  std::string host, room, url, key;
};

LiveRoom go_live(ApiServer& api, const std::string& phone) {
  LiveRoom l;
  l.host = make_streamer(api, phone, true);
  l.room = api.post("/api/v1/rooms", {{"title", "OBS 推流"}}, l.host).body["room"]["id"];
  ApiReply live = api.post("/api/v1/rooms/" + l.room + "/live", json::object(), l.host);
  l.url = live.body["publish"]["rtmp"]["url"];
  l.key = live.body["publish"]["rtmp"]["stream_key"];
  return l;
}

// `guest` asks to co-host and the host approves; returns the request's id.
std::string approve_cohost(ApiServer& api, const LiveRoom& live, const std::string& guest) {
  std::string request = api.post("/api/v1/rooms/" + live.room + "/cohost-requests", json::object(), guest).body["request"]["id"];
  EXPECT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/decision", {{"approve", true}}, live.host).status,
            200);
  return request;
}

// Where an approved co-host's encoder pushes: the RTMP server and stream key of a fresh credential.
std::string cohost_stream(ApiServer& api, const LiveRoom& live, const std::string& guest) {
  json publish = api.post("/api/v1/rooms/" + live.room + "/publish-credential", json::object(), guest).body["publish"];
  return publish["rtmp"]["url"].get<std::string>() + "/" + publish["rtmp"]["stream_key"].get<std::string>();
}

int publishers(ApiServer& api) { return api.get("/healthz").body["media"]["publishers"]; }

bool wait_for_publishers(ApiServer& api, int count) {
  for (int i = 0; i < 100; ++i) {
    if (publishers(api) == count) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

// The last frame of a segment cut at least two seconds after the call.
std::optional<Picture> newest_frame(ApiServer& api, const std::string& room) {
  std::string first_seen;
  for (int i = 0; i < 150; ++i, std::this_thread::sleep_for(100ms)) {
    ApiReply playlist = api.get("/api/v1/rooms/" + room + "/hls/index.m3u8");
    if (playlist.status != 200) continue;
    std::string last;
    std::istringstream lines(playlist.raw);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty() && line[0] != '#') last = line;
    if (first_seen.empty()) first_seen = last;
    if (last.empty() || last <= first_seen || i < 20) continue;
    ApiReply segment = api.get("/api/v1/rooms/" + room + "/hls/" + last);
    auto file = api.data_dir() / "fetched.ts";
    std::ofstream(file, std::ios::binary) << segment.raw;
    auto frames = decode_video(file, 3);
    if (frames.ok() && !frames.value().empty()) return frames.value().back();
  }
  return std::nullopt;
}

struct Listed {
  std::string name;
  double seconds = 0;
};
// The segments the room's live playlist lists now, oldest first, with their durations.
std::vector<Listed> listed_segments(ApiServer& api, const std::string& room) {
  std::vector<Listed> listed;
  std::istringstream lines(api.get("/api/v1/rooms/" + room + "/hls/index.m3u8").raw);
  double seconds = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#EXTINF:", 0) == 0) seconds = std::atof(line.c_str() + 8);
    if (!line.empty() && line[0] != '#') listed.push_back({line, seconds});
  }
  return listed;
}

TEST_P(Rtmp, AnEncoderWithTheStreamKeyPlaysInTheRoomUntilTheRoomEnds) {
  VEIL_START_API_SERVER(api, GetParam(), true, with_rtmp);
  LiveRoom live = go_live(api, "13300133020");
  ASSERT_EQ(live.url.rfind("rtmp://127.0.0.1:", 0), 0u) << live.url;
  ASSERT_EQ(live.key.rfind(live.room + "?key=", 0), 0u);
  EXPECT_TRUE(api.get("/healthz").body["media"]["rtmp"].get<bool>());

  auto encoder = Encoder::start(live.url + "/" + live.key);
  ASSERT_TRUE(encoder);
  ASSERT_TRUE(wait_for_publishers(api, 1)) << "the push was let in";
  auto frame = newest_frame(api, live.room);
  ASSERT_TRUE(frame);
  EXPECT_GT(frame->mean_y(0, 0, 640, 360), 100) << "the encoder's green, not the empty room's black";
  auto loudness = audio_rms(api.data_dir() / "fetched.ts");  // the segment newest_frame decoded
  ASSERT_TRUE(loudness.ok());
  EXPECT_GT(loudness.value(), 0.05) << "the encoder's tone, not the room's silence";
  EXPECT_FALSE(encoder->ended(0ms));

  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/end", json::object(), live.host).status, 200);
  EXPECT_TRUE(encoder->ended(10s)) << "ending the room ends the encoder's push";
  EXPECT_EQ(publishers(api), 0);
}

TEST_P(Rtmp, OnlyALiveSessionsKeyPushes) {
  VEIL_START_API_SERVER(api, GetParam(), true, with_rtmp);
  LiveRoom live = go_live(api, "13300133021");
  auto wrong = Encoder::start(live.url + "/" + live.room + "?key=0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(wrong);
  EXPECT_TRUE(wrong->ended(10s)) << "nginx refuses a push Veil did not accept";
  auto keyless = Encoder::start(live.url + "/" + live.room);
  EXPECT_TRUE(keyless->ended(10s));
  EXPECT_EQ(publishers(api), 0);

  // The hook itself answers only nginx, which alone knows the secret in its URL.
  ApiReply forged = api.send_raw("POST", "/api/v1/media/rtmp/guess/publish", "name=" + live.room + "&key=x",
                                 "application/x-www-form-urlencoded", "");
  EXPECT_EQ(forged.status, 404);
}

TEST_P(Rtmp, OneEncoderPerRoomAndEndingACoHostsGrantEndsTheirPush) {
  VEIL_START_API_SERVER(api, GetParam(), true, with_rtmp);
  LiveRoom live = go_live(api, "13300133022");
  std::string guest = api.register_user("13300133023", {"login", "profile"});
  const std::string request = approve_cohost(api, live, guest);
  auto encoder = Encoder::start(cohost_stream(api, live, guest));
  ASSERT_TRUE(encoder);
  ASSERT_TRUE(wait_for_publishers(api, 1));
  // The stream is named after the room: a second encoder is refused, the first pushes on.
  auto second = Encoder::start(live.url + "/" + live.key);
  EXPECT_TRUE(second->ended(10s)) << "rtmp_busy";
  EXPECT_FALSE(encoder->ended(0ms));
  EXPECT_EQ(publishers(api), 1);
  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/end", json::object(), guest).status, 200);
  EXPECT_TRUE(encoder->ended(10s)) << "the watchdog sees the revoked grant and nginx drops the push";
  EXPECT_TRUE(wait_for_publishers(api, 0));
}

// Bad input: nginx dies mid-push. The encoder's push ends, nothing else does: the room stays
// live and keeps its HLS output, nginx comes back by itself, and the encoder's reconnect with the
// same key plays again (OBS reconnects on its own), however long after the key was handed out.
TEST_P(Rtmp, KillingNginxEndsThePushNotTheRoomAndTheEncoderPushesAgain) {
  VEIL_START_API_SERVER(api, GetParam(), true, with_rtmp);
  LiveRoom live = go_live(api, "13300133024");
  auto encoder = Encoder::start(live.url + "/" + live.key);
  ASSERT_TRUE(encoder);
  ASSERT_TRUE(wait_for_publishers(api, 1));
  auto green = newest_frame(api, live.room);
  ASSERT_TRUE(green);
  ASSERT_GT(green->mean_y(0, 0, 640, 360), 100);

  auto nginx = process_mentioning("nginx: master process", api.data_dir().string());
  ASSERT_TRUE(nginx) << "veil serve runs nginx-rtmp under its data directory";
  ASSERT_EQ(::kill(*nginx, SIGKILL), 0);
  EXPECT_TRUE(encoder->ended(10s)) << "the push goes with nginx";
  bool back = false;
  for (int i = 0; i < 100 && !back; ++i, std::this_thread::sleep_for(100ms)) {
    json media = api.get("/healthz").body["media"];
    back = media["rtmp"].get<bool>() && media["rtmp_restarts"] == 1;
  }
  ASSERT_TRUE(back) << "nginx is restarted and counted";
  EXPECT_NE(api.get("/metrics").raw.find("veil_media_rtmp_restarts_total 1\n"), std::string::npos);
  EXPECT_EQ(api.get("/api/v1/rooms/" + live.room).body["room"]["status"], "live");
  EXPECT_TRUE(newest_frame(api, live.room)) << "the room's output runs on";

  // Long after the key was handed out: a browser's credential has expired by now, an encoder's
  // stream key has not (it reconnects by itself with the key it was given).
  api.advance_clock_seconds(11 * 60);
  const std::string token = live.key.substr(live.key.find("?key=") + 5);
  EXPECT_EQ(api.post("/api/v1/media/publish-check", {{"room_id", live.room}, {"token", token}}).error_code(), "publish_denied");
  auto again = Encoder::start(live.url + "/" + live.key, "0xffffffff");  // white this time
  ASSERT_TRUE(again);
  std::optional<Picture> white;
  // Joining a running room takes a few seconds (nginx plays the push back, a key frame, the
  // pipeline's latency grows by the RTMP branch's): look at up to four fresh segments.
  for (int i = 0; i < 4 && !(white && white->mean_y(0, 0, 640, 360) > 200); ++i) white = newest_frame(api, live.room);
  ASSERT_TRUE(white);
  EXPECT_GT(white->mean_y(0, 0, 640, 360), 200) << "the reconnected encoder's picture, not the first one's";
  EXPECT_FALSE(again->ended(0ms));
  EXPECT_EQ(publishers(api), 1) << "the reconnect replaced the dead push";

  // A new credential revokes the old key: the push on air runs on, a new one with it is refused.
  json fresh = api.post("/api/v1/rooms/" + live.room + "/publish-credential", json::object(), live.host).body["publish"];
  EXPECT_NE(fresh["rtmp"]["stream_key"], live.key);
  again.reset();
  ASSERT_TRUE(wait_for_publishers(api, 0));
  auto stale = Encoder::start(live.url + "/" + live.key);
  EXPECT_TRUE(stale->ended(10s)) << "the old key no longer opens a push";
  auto renewed = Encoder::start(live.url + "/" + fresh["rtmp"]["stream_key"].get<std::string>());
  EXPECT_TRUE(wait_for_publishers(api, 1)) << "the new key does";
}

// An encoder joining a room that is already on air: the host's picture runs on without a pause
// (every segment keeps its frames, the host stays on the left) until the co-host takes the right.
TEST_P(Rtmp, AnEncoderJoiningARunningRoomDoesNotStallIt) {
  VEIL_START_API_SERVER(api, GetParam(), true, with_rtmp);
  LiveRoom live = go_live(api, "13300133026");
  const std::string host_token = live.key.substr(live.key.find("?key=") + 5);
  PublisherOptions red;
  red.video = solid_colour_source(0xffff0000);
  auto host = WebRtcPublisher::create(red).value();
  ApiReply answer = api.send_raw("POST", "/api/v1/rooms/" + live.room + "/whip", host->offer().value(), "application/sdp", host_token);
  ASSERT_EQ(answer.status, 201) << answer.raw;
  ASSERT_TRUE(host->accept_answer(answer.raw).ok());
  ASSERT_TRUE(newest_frame(api, live.room)) << "the room is on air";
  const std::string before_join = listed_segments(api, live.room).back().name;

  std::string guest = api.register_user("13300133027", {"login", "profile"});
  approve_cohost(api, live, guest);
  auto encoder = Encoder::start(cohost_stream(api, live, guest));
  ASSERT_TRUE(encoder);
  ASSERT_TRUE(wait_for_publishers(api, 2));
  std::this_thread::sleep_for(5s);  // the push played back by nginx, a key frame, the new layout

  std::vector<Listed> joined;  // the segments cut since the encoder started, still on disk
  for (const Listed& segment : listed_segments(api, live.room))
    if (segment.name > before_join) joined.push_back(segment);
  ASSERT_GE(joined.size(), 4u);
  bool cohost_on_air = false;
  for (const Listed& segment : joined) {
    auto file = api.data_dir() / "joined.ts";
    std::ofstream(file, std::ios::binary) << api.get("/api/v1/rooms/" + live.room + "/hls/" + segment.name).raw;
    auto frames = decode_video(file);
    ASSERT_TRUE(frames.ok()) << segment.name;
    // 30 frames a second of what the segment spans (the join's key frame may cut one short): a
    // stall would leave it short of frames.
    EXPECT_GE(static_cast<double>(frames->size()), 30 * segment.seconds - 4) << segment.name << ", " << segment.seconds << " s";
    for (const Picture& p : *frames) EXPECT_GT(p.mean_v(40, 140, 240, 80), 200) << segment.name << ": the host's red on the left";
    cohost_on_air = cohost_on_air || frames->back().mean_y(360, 140, 240, 80) > 120;  // green on the right
  }
  EXPECT_TRUE(cohost_on_air) << "the encoder's green joins the picture";
}

VEIL_ON_BOTH_BACKENDS(Rtmp);

}  // namespace
}  // namespace veil::test
