// Janus from Debian's package, started by JanusServer on free loopback ports in a temporary
// directory, fed VP8 over RTP by an in-process GStreamer pipeline; what a viewer's webrtcbin
// decodes is the proof.
#include "media/janus_streaming.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "http/curl_http_client.hpp"
#include "media/gst_support.hpp"
#include "media/janus_server.hpp"
#include "media/support/webrtc_viewer.hpp"
#include "support/ports.hpp"

namespace veil::media {
namespace {

using namespace std::chrono_literals;

constexpr int kWidth = 640;
constexpr int kHeight = 360;

// What our room pipeline does for Janus: VP8 (or H.264) over RTP to a mountpoint's port on
// loopback. A keyframe every second, so a viewer's picture starts within one.
class RtpSource {
 public:
  static Result<std::unique_ptr<RtpSource>> start(int port, const std::string& codec = "vp8") {
    VEIL_TRY(media::ensure_gstreamer());
    const std::string encode =
        codec == "h264"
            ? "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 ! "
              "video/x-h264,profile=constrained-baseline ! rtph264pay pt=96 config-interval=-1"
            : "vp8enc deadline=1 keyframe-max-dist=30 ! rtpvp8pay pt=96";
    const std::string description =
        "videotestsrc is-live=true pattern=smpte ! video/x-raw,width=640,height=360,framerate=30/1 "
        "! " +
        encode + " ! udpsink host=127.0.0.1 port=" + std::to_string(port);
    GstElement* pipeline = VEIL_TRY(parse_pipeline(description));
    std::unique_ptr<RtpSource> source(new RtpSource());
    source->pipeline_.reset(pipeline);
    gst_element_set_state(pipeline, GST_STATE_PLAYING);
    return source;
  }
  ~RtpSource() { gst_element_set_state(pipeline_.get(), GST_STATE_NULL); }

 private:
  RtpSource() = default;
  media::GstRef<GstElement> pipeline_;
};

// Each test's folder: veil-janus-XXXXXX under /tmp.
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("veil-janus") {}
};

double mean(const std::vector<std::uint8_t>& plane, int width, int x0, int y0, int w, int h) {
  double sum = 0;
  for (int y = y0; y < y0 + h; ++y)
    for (int x = x0; x < x0 + w; ++x)
      sum += plane[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                   static_cast<std::size_t>(x)];
  return sum / (w * h);
}

class JanusStreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access("/usr/bin/janus", X_OK) != 0) GTEST_SKIP() << "janus is not installed";
    // Janus 1.1.2 offers no loopback candidates: it and the viewer gather on this machine's own
    // address, which the kernel delivers locally.
    auto interface = default_ice_interface();
    if (!interface.ok()) GTEST_SKIP() << "no non-loopback interface for Janus's ICE";
    interface_ = *interface;
    auto port = test::free_loopback_port();
    ASSERT_TRUE(port.ok());
    JanusServerOptions options;
    options.work_dir = dir_.path() / "janus";
    options.http_port = *port;
    options.ice_interfaces = {interface_.name};
    options.debug_level = 4;  // the most Veil allows: the log test proves even that keeps secrets out
    // Port ranges of this test's own: another Janus on the machine (a concurrent test run) taking
    // the freed mountpoint port while this one restarts would fail the restart test.
    const int base = 22000 + 100 * static_cast<int>(std::random_device{}() % 90);
    options.mountpoint_port_min = base;
    options.mountpoint_port_max = base + 49;
    options.rtp_port_min = base + 50;
    options.rtp_port_max = base + 99;
    options.on_restarted = [this] {
      std::function<void()> recreate;
      {
        std::lock_guard lock(mutex_);
        recreate = on_restarted_;
      }
      if (recreate) recreate();
    };
    auto server = JanusServer::create(http_, options);
    ASSERT_TRUE(server.ok()) << server.error().reason << ": " << server.error().detail;
    server_ = std::move(server).value();
    auto streaming = JanusStreaming::connect(http_, server_->base_url(), server_->api_secret(),
                                             server_->admin_key());
    ASSERT_TRUE(streaming.ok()) << streaming.error().detail;
    streaming_ = std::move(streaming).value();
  }

  void TearDown() override {
    {
      std::lock_guard lock(mutex_);
      on_restarted_ = nullptr;
    }
    streaming_.reset();
    server_.reset();
  }

  // A mountpoint on a port Janus picks, fed by an RtpSource.
  Mountpoint feed_mountpoint(const std::string& codec = "vp8") {
    MountpointSpec spec;
    spec.name = "test room";
    spec.video_codec = codec;
    auto mountpoint = streaming_->create_mountpoint(spec);
    EXPECT_TRUE(mountpoint.ok()) << mountpoint.error().reason << ": " << mountpoint.error().detail;
    if (!mountpoint.ok()) return {};
    auto source = RtpSource::start(mountpoint->video_port, codec);
    EXPECT_TRUE(source.ok()) << source.error().detail;
    if (source.ok()) source_ = std::move(source).value();
    return *mountpoint;
  }

  // Watch → the viewer answers Janus's offer → start.
  std::unique_ptr<test::WebRtcViewer> connect_viewer(std::int64_t mountpoint_id) {
    test::ViewerOptions options;
    options.local_addresses = {interface_.address};
    auto viewer = test::WebRtcViewer::create(options);
    EXPECT_TRUE(viewer.ok()) << viewer.error().detail;
    if (!viewer.ok()) return nullptr;
    auto offer = streaming_->watch(mountpoint_id);
    EXPECT_TRUE(offer.ok()) << offer.error().reason << ": " << offer.error().detail;
    if (!offer.ok()) return nullptr;
    EXPECT_NE(offer->sdp.find("a=end-of-candidates"), std::string::npos)
        << "Janus sends its candidates in the offer";
    auto answer = (*viewer)->answer(offer->sdp);
    EXPECT_TRUE(answer.ok()) << answer.error().detail;
    if (!answer.ok()) return nullptr;
    auto started = streaming_->start(offer->viewer_id, *answer);
    EXPECT_TRUE(started.ok()) << started.error().reason << ": " << started.error().detail;
    viewer_ids_.push_back(offer->viewer_id);
    return std::move(viewer).value();
  }

  http::CurlHttpClient http_;
  TempDir dir_;
  IceInterface interface_;
  std::unique_ptr<JanusServer> server_;
  std::unique_ptr<JanusStreaming> streaming_;
  std::unique_ptr<RtpSource> source_;
  std::vector<std::int64_t> viewer_ids_;
  std::mutex mutex_;  // guards on_restarted_ and recreated_
  std::function<void()> on_restarted_;
  bool recreated_ = false;
  std::condition_variable recreated_cv_;
};

TEST_F(JanusStreamingTest, ViewerDecodesTheMountpointsVideo) {
  const Mountpoint mountpoint = feed_mountpoint();
  ASSERT_NE(mountpoint.id, 0);
  auto viewer = connect_viewer(mountpoint.id);
  ASSERT_TRUE(viewer);

  ASSERT_TRUE(viewer->wait_for_frames(30, 10s)) << viewer->describe();
  const auto frame = viewer->last_frame();
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->width, kWidth);
  EXPECT_EQ(frame->height, kHeight);
  ASSERT_EQ(frame->i420.size(), static_cast<std::size_t>(kWidth * kHeight * 3 / 2));
  // SMPTE bars: 75 % white at the left (luma about 180), 75 % blue at the right (about 35).
  EXPECT_GT(mean(frame->i420, kWidth, 10, 20, 60, 180), 150);
  EXPECT_LT(mean(frame->i420, kWidth, kWidth - 70, 20, 60, 180), 80);
}

TEST_F(JanusStreamingTest, ViewerDecodesAnH264Mountpoint) {
  const Mountpoint mountpoint = feed_mountpoint("h264");
  ASSERT_NE(mountpoint.id, 0);
  auto viewer = connect_viewer(mountpoint.id);
  ASSERT_TRUE(viewer);
  ASSERT_TRUE(viewer->wait_for_frames(30, 10s)) << viewer->describe();
  EXPECT_EQ(viewer->last_frame()->width, kWidth);
  EXPECT_EQ(viewer->last_frame()->height, kHeight);
}

TEST_F(JanusStreamingTest, JanusLogHoldsNeitherTheApiSecretNorTheAdminKey) {
  const Mountpoint mountpoint = feed_mountpoint();
  ASSERT_NE(mountpoint.id, 0);
  auto viewer = connect_viewer(mountpoint.id);  // requests carrying both secrets, a PeerConnection
  ASSERT_TRUE(viewer);
  ASSERT_TRUE(viewer->wait_for_frames(1, 10s)) << viewer->describe();
  std::ifstream in(server_->log_path());
  const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(log.empty());
  EXPECT_EQ(log.find(server_->api_secret()), std::string::npos);
  EXPECT_EQ(log.find(server_->admin_key()), std::string::npos);
}

TEST_F(JanusStreamingTest, DestroyingTheMountpointStopsTheFrames) {
  const Mountpoint mountpoint = feed_mountpoint();
  ASSERT_NE(mountpoint.id, 0);
  auto viewer = connect_viewer(mountpoint.id);
  ASSERT_TRUE(viewer);
  ASSERT_TRUE(viewer->wait_for_frames(10, 10s)) << viewer->describe();

  ASSERT_TRUE(streaming_->destroy_mountpoint(mountpoint.id).ok());
  std::this_thread::sleep_for(500ms);  // what was in flight and in the jitter buffer drains
  const int after_destroy = viewer->frames_decoded();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(viewer->frames_decoded(), after_destroy)
      << "no frame arrives from a destroyed mountpoint";

  auto again = streaming_->watch(mountpoint.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().reason, "mountpoint_not_found");
  EXPECT_EQ(streaming_->hangup(viewer_ids_.front()).error().reason, "viewer_not_found")
      << "destroying the mountpoint already ended its viewer";
}

TEST_F(JanusStreamingTest, AViewerThatVanishesWithoutHangingUpIsReportedGone) {
  std::mutex gone_mutex;
  std::condition_variable gone_cv;
  std::vector<std::int64_t> gone;
  streaming_->on_viewer_gone([&](std::int64_t viewer) {
    std::lock_guard lock(gone_mutex);
    gone.push_back(viewer);
    gone_cv.notify_all();
  });
  const Mountpoint mountpoint = feed_mountpoint();
  ASSERT_NE(mountpoint.id, 0);
  auto staying = connect_viewer(mountpoint.id);
  auto leaving = connect_viewer(mountpoint.id);
  ASSERT_TRUE(staying && leaving);
  ASSERT_TRUE(leaving->wait_for_frames(10, 10s)) << leaving->describe();

  leaving.reset();  // a closed tab: its peer connection ends, nobody calls hangup()
  {
    std::unique_lock lock(gone_mutex);
    // Janus learns of it from libnice's keepalive connectivity checks going
    // unanswered: about a minute with libnice 0.1.21.
    ASSERT_TRUE(gone_cv.wait_for(lock, 120s, [&] { return !gone.empty(); }))
        << "Janus never reported the vanished viewer";
    EXPECT_EQ(gone, std::vector<std::int64_t>{viewer_ids_[1]});
  }
  EXPECT_EQ(streaming_->hangup(viewer_ids_[1]).error().reason, "viewer_not_found")
      << "a viewer reported gone is off the books";
  const int before = staying->frames_decoded();
  EXPECT_TRUE(staying->wait_for_frames(before + 30, 10s)) << "the other viewer watches on";
  EXPECT_TRUE(streaming_->hangup(viewer_ids_[0]).ok());
  std::lock_guard lock(gone_mutex);
  EXPECT_EQ(gone.size(), 1u) << "a viewer we hung up ourselves is not reported";
}

TEST_F(JanusStreamingTest, KilledJanusRestartsAndARecreatedMountpointServesANewViewer) {
  const Mountpoint mountpoint = feed_mountpoint();
  ASSERT_NE(mountpoint.id, 0);
  {
    std::lock_guard lock(mutex_);
    // What the owner does: the same mountpoint, same id and port, so the pipeline feeding it and
    // the rooms pointing at it carry on. Only fixture members and copies: it runs on the
    // supervisor's thread.
    on_restarted_ = [this, mountpoint] {
      MountpointSpec spec;
      spec.name = "test room";
      spec.id = mountpoint.id;
      spec.video_port = mountpoint.video_port;
      auto again = streaming_->create_mountpoint(spec);
      EXPECT_TRUE(again.ok()) << again.error().reason << ": " << again.error().detail;
      std::lock_guard inner(mutex_);
      recreated_ = again.ok();
      recreated_cv_.notify_all();
    };
  }
  const pid_t first = server_->pid();
  ASSERT_GT(first, 0);
  ASSERT_EQ(::kill(first, SIGKILL), 0);

  {
    std::unique_lock lock(mutex_);
    ASSERT_TRUE(recreated_cv_.wait_for(lock, 15s, [&] { return recreated_; }));
  }
  EXPECT_EQ(server_->restarts(), 1);
  EXPECT_NE(server_->pid(), first);
  EXPECT_TRUE(server_->healthy());
  EXPECT_GE(streaming_->reconnects(), 1);

  auto viewer = connect_viewer(mountpoint.id);
  ASSERT_TRUE(viewer);
  ASSERT_TRUE(viewer->wait_for_frames(30, 10s)) << viewer->describe();
  EXPECT_EQ(viewer->last_frame()->width, kWidth);
}

TEST_F(JanusStreamingTest, StartWithGarbageSdpIsRefused) {
  const Mountpoint mountpoint = feed_mountpoint();
  ASSERT_NE(mountpoint.id, 0);
  auto offer = streaming_->watch(mountpoint.id);
  ASSERT_TRUE(offer.ok()) << offer.error().detail;
  auto started = streaming_->start(offer->viewer_id, "this is not an answer");
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().reason, "janus_sdp_invalid");
  EXPECT_EQ(started.error().code, ErrorCode::InvalidArgument);
  EXPECT_TRUE(streaming_->hangup(offer->viewer_id).ok());
}

TEST_F(JanusStreamingTest, UnknownMountpointsAndViewersAreNotFound) {
  auto watched = streaming_->watch(123456789);
  ASSERT_FALSE(watched.ok());
  EXPECT_EQ(watched.error().reason, "mountpoint_not_found");
  EXPECT_EQ(watched.error().code, ErrorCode::NotFound);
  EXPECT_EQ(streaming_->destroy_mountpoint(123456789).error().reason, "mountpoint_not_found");
  EXPECT_EQ(streaming_->start(42, "v=0").error().reason, "viewer_not_found");
  EXPECT_EQ(streaming_->hangup(42).error().reason, "viewer_not_found");
}

TEST_F(JanusStreamingTest, InvalidMountpointSpecsAreRefusedBeforeJanus) {
  MountpointSpec codec;
  codec.video_codec = "theora";
  EXPECT_EQ(streaming_->create_mountpoint(codec).error().reason, "mountpoint_invalid");
  MountpointSpec port;
  port.video_port = 70000;
  EXPECT_EQ(streaming_->create_mountpoint(port).error().reason, "mountpoint_invalid");
}

TEST_F(JanusStreamingTest, JanusRefusesRequestsWithoutTheSecretsVeilHolds) {
  auto post = [&](const std::string& url, const nlohmann::json& body) {
    HttpRequest request;
    request.url = url;
    request.body = body.dump();
    auto response = http_.send(request);
    EXPECT_TRUE(response.ok());
    return response.ok() ? nlohmann::json::parse(response->body, nullptr, false) : nlohmann::json();
  };
  const auto anonymous = post(server_->base_url(), {{"janus", "create"}, {"transaction", "t"}});
  EXPECT_EQ(anonymous["janus"], "error");
  EXPECT_EQ(anonymous["error"]["code"], 403);

  // With the API secret but not the Streaming plugin's admin key, no mountpoint can be created.
  const std::string secret = server_->api_secret();
  const auto session =
      post(server_->base_url(), {{"janus", "create"}, {"transaction", "t"}, {"apisecret", secret}});
  const std::string session_url =
      server_->base_url() + "/" + std::to_string(session["data"]["id"].get<std::int64_t>());
  const auto handle = post(session_url, {{"janus", "attach"},
                                         {"plugin", "janus.plugin.streaming"},
                                         {"transaction", "t"},
                                         {"apisecret", secret}});
  const auto created = post(
      session_url + "/" + std::to_string(handle["data"]["id"].get<std::int64_t>()),
      {{"janus", "message"},
       {"transaction", "t"},
       {"apisecret", secret},
       {"body", {{"request", "create"}, {"type", "rtp"}, {"media", nlohmann::json::array()}}}});
  EXPECT_EQ(created["plugindata"]["data"]["error_code"], 453)
      << created.dump();  // admin_key missing
}

TEST_F(JanusStreamingTest, AWrongApiSecretIsRefused) {
  auto client =
      JanusStreaming::connect(http_, server_->base_url(), "not-the-secret", server_->admin_key());
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().reason, "janus_rejected");
}

TEST(JanusStreaming, ConnectingWithoutJanusIsUnavailable) {
  http::CurlHttpClient http;
  auto port = test::free_loopback_port();
  ASSERT_TRUE(port.ok());
  auto client = JanusStreaming::connect(
      http, "http://127.0.0.1:" + std::to_string(*port) + "/janus", "secret", "key");
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().reason, "janus_unavailable");
  EXPECT_EQ(client.error().code, ErrorCode::Unavailable);
}

TEST(JanusServer, RefusesLoopbackAsItsIceInterface) {
  TempDir dir;
  http::CurlHttpClient http;
  JanusServerOptions options;
  options.work_dir = dir.path() / "janus";
  options.http_port = 18088;
  options.ice_interfaces = {"lo"};
  auto server = JanusServer::create(http, options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().reason, "janus_ice_loopback_unsupported");

  options.ice_interfaces = {"veil-no-such-interface"};
  EXPECT_EQ(JanusServer::create(http, options).error().reason, "janus_ice_interface_not_found");
  options.ice_interfaces = {};
  EXPECT_EQ(JanusServer::create(http, options).error().reason, "janus_ice_interfaces_missing");
}

TEST(JanusServer, RefusesALogLevelThatWouldRecordViewersAddresses) {
  TempDir dir;
  http::CurlHttpClient http;
  JanusServerOptions options;
  options.work_dir = dir.path() / "janus";
  options.http_port = 18088;
  options.ice_interfaces = {"eth"};
  options.debug_level = 5;
  EXPECT_EQ(JanusServer::create(http, options).error().reason, "janus_debug_level_invalid");
}

}  // namespace
}  // namespace veil::media
