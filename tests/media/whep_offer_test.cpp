// WHEP as standard players do it — the player offers, a webrtcbin of Veil's own answers on the
// room's encoded output — proven by what the player decodes: the publisher's picture and sound,
// and what leaving, the cap and the end of the room do to it and to the room.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <thread>

#include "media/media_service.hpp"
#include "media/support/media_probe.hpp"
#include "media/support/webrtc_publisher.hpp"
#include "media/support/webrtc_viewer.hpp"

namespace veil::media {
namespace {

using std::chrono::seconds;

const std::string kRoom = "5e7a11ce0ff3";

class HostOnly : public PublishAuthority {
 public:
  Result<PublisherGrant> check(const std::string& room_id, std::string_view token, Ingest) override {
    if (room_id != kRoom || token != "host-token") return Error{ErrorCode::PermissionDenied, "publish_denied", ""};
    return PublisherGrant{"g1", kRoom, "s1", "host-account", "host", false};
  }
  Result<bool> still_allowed(const PublisherGrant&) override { return true; }
};

// A player's own offer and the player that made it.
struct Player {
  std::unique_ptr<test::WebRtcViewer> peer;
  std::string offer;
};

// The mean of each I420 plane over the whole of a packed frame.
struct Means {
  double y = 0, u = 0, v = 0;
};
Means means(const test::ViewerFrame& f) {
  const std::size_t luma = static_cast<std::size_t>(f.width) * f.height;
  const std::size_t chroma = static_cast<std::size_t>((f.width + 1) / 2) * ((f.height + 1) / 2);
  auto mean = [&](std::size_t from, std::size_t n) {
    double sum = 0;
    for (std::size_t i = from; i < from + n; ++i) sum += f.i420[i];
    return n > 0 ? sum / static_cast<double>(n) : 0;
  };
  if (f.i420.size() < luma + 2 * chroma) return {};
  return {mean(0, luma), mean(luma, chroma), mean(luma + chroma, chroma)};
}

// The publisher's green (videotestsrc solid colour 0xff00ff00), not the empty room's black.
bool looks_green(const test::ViewerFrame& f) {
  Means m = means(f);
  return m.y > 100 && m.u < 100 && m.v < 90;
}

// Who the media layer says is watching, as the rooms' viewer counts hear it.
class Audience : public AudienceListener {
 public:
  void watching(const std::string&, const std::string& resource_id, const std::string& viewer) override {
    std::lock_guard lock(mutex_);
    watching_[resource_id] = viewer;
  }
  void stopped_watching(const std::string&, const std::string& resource_id) override {
    std::lock_guard lock(mutex_);
    watching_.erase(resource_id);
  }
  std::map<std::string, std::string> now() const {
    std::lock_guard lock(mutex_);
    return watching_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> watching_;  // resource -> viewer
};

class WhepOffer : public ::testing::Test {
 protected:
  void SetUp() override { start(10); }
  void TearDown() override {
    players_.clear();
    media_.reset();
    publisher_.reset();
    std::filesystem::remove_all(dir_);
  }

  void start(std::size_t cap) {
    players_.clear();
    media_.reset();
    dir_ = std::filesystem::temp_directory_path() /
           ("veil-whep-offer-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    MediaOptions options;
    options.work_dir = dir_;
    options.check_every = std::chrono::hours(1);
    options.webrtcbin_viewers_per_room = cap;
    options.audience = &audience_;
    media_ = MediaService::create(options, authority_).value();
  }

  // The host on air with a green picture and a 440 Hz tone.
  void go_live() {
    test::PublisherOptions o;
    o.video = test::solid_colour_source(0xff00ff00);
    publisher_ = test::WebRtcPublisher::create(o).value();
    auto stream = media_->publish(kRoom, "host-token", publisher_->offer().value());
    ASSERT_TRUE(stream.ok()) << stream.error().reason << " " << stream.error().detail;
    ASSERT_TRUE(publisher_->accept_answer(stream->answer_sdp).ok());
  }

  Player player() {
    test::ViewerOptions o;
    o.local_addresses = {};  // gathers where Veil's webrtcbin does: this machine's interfaces
    Player p{test::WebRtcViewer::create(o).value(), {}};
    p.offer = p.peer->offer().value();  // receive-only VP8 (pt 96) and H.264 (pt 102), Opus (pt 111)
    return p;
  }

  // A player whose offer Veil answered; its resource id.
  std::string watch(test::WebRtcViewer*& out, const std::string& viewer = {}) {
    Player p = player();
    auto answered = media_->watch_with_offer(kRoom, p.offer, viewer);
    EXPECT_TRUE(answered.ok()) << answered.error().reason << " " << answered.error().detail;
    if (!answered.ok()) return {};
    EXPECT_TRUE(p.peer->accept_answer(answered->answer_sdp).ok());
    out = p.peer.get();
    players_.push_back(std::move(p.peer));
    return answered->resource_id;
  }

  std::filesystem::path dir_;
  HostOnly authority_;
  Audience audience_;
  std::unique_ptr<test::WebRtcPublisher> publisher_;
  std::unique_ptr<MediaService> media_;
  std::vector<std::unique_ptr<test::WebRtcViewer>> players_;  // torn down before media_
};

TEST_F(WhepOffer, APlayersOwnOfferIsAnsweredAndItDecodesThePublishersPictureAndSound) {
  go_live();
  Player p = player();
  auto answered = media_->watch_with_offer(kRoom, p.offer);
  ASSERT_TRUE(answered.ok()) << answered.error().reason << " " << answered.error().detail;
  const std::string& answer = answered->answer_sdp;
  EXPECT_NE(answer.find("a=rtpmap:102 H264/90000"), std::string::npos) << "H.264 on the payload type the offer gave it\n" << answer;
  EXPECT_NE(answer.find("profile-level-id=42e01f"), std::string::npos) << "the offer's constrained baseline, named\n" << answer;
  EXPECT_EQ(answer.find("VP8"), std::string::npos) << answer;
  EXPECT_NE(answer.find("a=rtpmap:111 OPUS/48000/2"), std::string::npos) << answer;
  EXPECT_NE(answer.find("a=sendonly"), std::string::npos) << answer;
  EXPECT_NE(answer.find("a=candidate:"), std::string::npos) << "every candidate in the answer: no trickle";
  ASSERT_TRUE(p.peer->accept_answer(answer).ok());

  ASSERT_TRUE(p.peer->wait_for_frames(90, seconds(30))) << p.peer->describe();
  auto frame = p.peer->last_frame();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->width, 640);
  EXPECT_EQ(frame->height, 360);
  EXPECT_TRUE(looks_green(*frame)) << "Y " << means(*frame).y << " U " << means(*frame).u << " V " << means(*frame).v;
  EXPECT_TRUE(p.peer->wait_for_sound(0.1, seconds(10))) << "the publisher's tone, loudest RMS " << p.peer->loudest_sound() << "; " << p.peer->describe();
  EXPECT_EQ(media_->health().webrtc_viewers, 1u);
}

TEST_F(WhepOffer, AViewerWhoLeavesLeavesTheRoomAndTheOtherViewerPlaying) {
  go_live();
  test::WebRtcViewer* first = nullptr;
  test::WebRtcViewer* second = nullptr;
  std::string leaving = watch(first);
  watch(second);
  ASSERT_TRUE(first != nullptr && second != nullptr);
  ASSERT_TRUE(first->wait_for_frames(30, seconds(30))) << first->describe();
  ASSERT_TRUE(second->wait_for_frames(30, seconds(30))) << second->describe();
  EXPECT_EQ(media_->health().webrtc_viewers, 2u);

  ASSERT_TRUE(media_->stop_watching(kRoom, leaving).ok());
  EXPECT_EQ(media_->health().webrtc_viewers, 1u);
  EXPECT_EQ(media_->stop_watching(kRoom, leaving).error().reason, "not_found");
  // The stopped player gets nothing more; the other decodes on, and so does the room's HLS.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  int first_frames = first->frames_decoded();
  int second_frames = second->frames_decoded();
  EXPECT_TRUE(second->wait_for_frames(second_frames + 60, seconds(15))) << second->describe();
  EXPECT_TRUE(looks_green(*second->last_frame()));
  EXPECT_LE(first->frames_decoded(), first_frames + 2) << "frames still reach the viewer who left";
  auto segment = test::next_whole_segment(dir_ / "live" / kRoom);
  ASSERT_TRUE(segment.ok()) << "the room's HLS output runs on";
  auto pictures = test::decode_video(segment.value(), 3);
  ASSERT_TRUE(pictures.ok());
  EXPECT_GT(pictures->back().mean_y(0, 0, 640, 360), 100) << "still the publisher's green";
}

// Until DTLS is up webrtcbin holds what it is sent; a player that never connects must not hold
// up its own removal, nor the room.
TEST_F(WhepOffer, APlayerThatNeverConnectsIsStoppedAtOnceAndTheRoomRunsOn) {
  go_live();
  Player p = player();
  auto answered = media_->watch_with_offer(kRoom, p.offer);
  ASSERT_TRUE(answered.ok()) << answered.error().reason;
  p.peer.reset();  // gone without answering back
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto began = std::chrono::steady_clock::now();
  ASSERT_TRUE(media_->stop_watching(kRoom, answered->resource_id).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - began, seconds(3));
  EXPECT_EQ(media_->health().webrtc_viewers, 0u);
  ASSERT_TRUE(test::next_whole_segment(dir_ / "live" / kRoom).ok()) << "the room's HLS output runs on";
}

TEST_F(WhepOffer, BeyondTheCapAPlayerIsToldToPlayHls) {
  start(1);
  go_live();
  test::WebRtcViewer* only = nullptr;
  std::string resource = watch(only);
  ASSERT_FALSE(resource.empty());
  EXPECT_EQ(media_->watch_with_offer(kRoom, player().offer).error().reason, "whep_full");
  ASSERT_TRUE(media_->stop_watching(kRoom, resource).ok());
  test::WebRtcViewer* next = nullptr;
  EXPECT_FALSE(watch(next).empty()) << "a place is free again";
  ASSERT_TRUE(next != nullptr);
  EXPECT_TRUE(next->wait_for_frames(30, seconds(30))) << next->describe();
}

// A closed tab sends no DELETE. Veil's keepalive connectivity checks go unanswered, the ICE
// connection fails, and the watchdog takes the viewer off: out of the count, its place free.
TEST_F(WhepOffer, APlayerThatVanishesWithoutHangingUpIsTakenOff) {
  start(2);
  go_live();
  test::WebRtcViewer* staying = nullptr;
  test::WebRtcViewer* vanishing = nullptr;
  std::string stays = watch(staying, "viewer-a");
  std::string vanishes = watch(vanishing, "viewer-b");
  ASSERT_TRUE(staying != nullptr && vanishing != nullptr);
  ASSERT_TRUE(vanishing->wait_for_frames(30, seconds(30))) << vanishing->describe();
  EXPECT_EQ(audience_.now(), (std::map<std::string, std::string>{{stays, "viewer-a"}, {vanishes, "viewer-b"}}));

  std::erase_if(players_, [&](const auto& p) { return p.get() == vanishing; });  // no DELETE
  bool gone = false;
  // libnice gives up on the unanswered checks in about a minute.
  for (int i = 0; i < 120 && !gone; ++i) {
    std::this_thread::sleep_for(seconds(1));
    media_->check_answered_viewers();
    gone = media_->health().webrtc_viewers == 1;
  }
  ASSERT_TRUE(gone) << "the vanished player is still on the books";
  EXPECT_EQ(audience_.now(), (std::map<std::string, std::string>{{stays, "viewer-a"}})) << "it left the count";
  EXPECT_EQ(media_->stop_watching(kRoom, vanishes).error().reason, "not_found");
  const int before = staying->frames_decoded();
  EXPECT_TRUE(staying->wait_for_frames(before + 30, seconds(10))) << "the player who stayed was never taken for gone";
  test::WebRtcViewer* next = nullptr;
  EXPECT_FALSE(watch(next).empty()) << "its place under the cap is free";
}

TEST_F(WhepOffer, OffersVeilCannotServeAreRefusedWithACode) {
  std::string valid = player().offer;
  EXPECT_EQ(media_->watch_with_offer(kRoom, valid).error().reason, "not_found") << "no live output yet";
  go_live();
  const std::string head = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  std::string vp8_only = head + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:96 VP8/90000\r\na=recvonly\r\n";
  std::string sound_only = head + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\na=recvonly\r\n";
  EXPECT_EQ(media_->watch_with_offer(kRoom, vp8_only).error().reason, "whep_codec_unsupported");
  EXPECT_EQ(media_->watch_with_offer(kRoom, sound_only).error().reason, "whep_codec_unsupported");
  // H.264 only in packetization-mode 0: nothing Veil can send.
  std::string mode0 = valid;
  for (auto pos = mode0.find("packetization-mode=1"); pos != std::string::npos; pos = mode0.find("packetization-mode=1"))
    mode0.replace(pos, 20, "packetization-mode=0");
  EXPECT_EQ(media_->watch_with_offer(kRoom, mode0).error().reason, "whep_codec_unsupported");
  EXPECT_EQ(media_->watch_with_offer(kRoom, "hello").error().reason, "sdp_invalid");
  EXPECT_EQ(media_->watch_with_offer(kRoom, std::string(64 * 1024, 'v')).error().reason, "sdp_too_large");
  EXPECT_EQ(media_->health().webrtc_viewers, 0u);
  test::WebRtcViewer* fine = nullptr;
  EXPECT_FALSE(watch(fine).empty()) << "the refusals left nothing behind that blocks the next viewer";
}

// Safari lists High profile first; the room sends constrained baseline, so Veil answers on the
// offer's baseline-family format instead.
TEST_F(WhepOffer, TheOffersBaselineFormatIsChosenOverAHighProfileListedFirst) {
  go_live();
  Player p = player();
  std::string offer = p.offer;
  auto m_video = offer.find("m=video 9 UDP/TLS/RTP/SAVPF ");
  ASSERT_NE(m_video, std::string::npos) << offer;
  offer.insert(m_video + 27, "100 ");
  auto first_rtpmap = offer.find("a=rtpmap:", m_video);
  offer.insert(first_rtpmap, "a=rtpmap:100 H264/90000\r\na=fmtp:100 packetization-mode=1;profile-level-id=640c1f\r\n");
  auto answered = media_->watch_with_offer(kRoom, offer);
  ASSERT_TRUE(answered.ok()) << answered.error().reason << " " << answered.error().detail << "\n" << offer;
  EXPECT_NE(answered->answer_sdp.find("a=rtpmap:102 H264/90000"), std::string::npos) << answered->answer_sdp;
  EXPECT_EQ(answered->answer_sdp.find("a=rtpmap:100 "), std::string::npos) << answered->answer_sdp;
}

TEST_F(WhepOffer, EndingTheRoomEndsItsViewers) {
  go_live();
  test::WebRtcViewer* viewer = nullptr;
  std::string resource = watch(viewer);
  ASSERT_TRUE(viewer != nullptr);
  ASSERT_TRUE(viewer->wait_for_frames(30, seconds(30))) << viewer->describe();
  media_->end_room(kRoom);
  EXPECT_EQ(media_->health().webrtc_viewers, 0u);
  EXPECT_EQ(media_->stop_watching(kRoom, resource).error().reason, "not_found");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int frames = viewer->frames_decoded();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_LE(viewer->frames_decoded(), frames + 2) << "the ended room still sends pictures";
}

}  // namespace
}  // namespace veil::media
