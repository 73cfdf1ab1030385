// WHIP publishing into a room's pipeline, proven by what arrives in the HLS output: decoded
// frames of the publishers' pictures where the layout puts them, their sound, and black once they
// have gone.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "media/media_service.hpp"
#include "media/support/media_probe.hpp"
#include "media/support/webrtc_publisher.hpp"

namespace veil::media {
namespace {

using test::PublisherOptions;
using test::WebRtcPublisher;

constexpr unsigned kRed = 0xffff0000, kGreen = 0xff00ff00, kBlue = 0xff0000ff;
const std::string kRoom = "0a1b2c3d4e5f";

// The control plane's answers, as the app gives them from the publish_grants table.
class FakeAuthority : public PublishAuthority {
 public:
  void allow(const std::string& token, PublisherGrant grant) { grants_[token] = std::move(grant); }
  void revoke(const std::string& account_id) { revoked_.insert(account_id); }
  Result<PublisherGrant> check(const std::string& room_id, std::string_view token, Ingest) override {
    auto it = grants_.find(std::string(token));
    if (it == grants_.end() || it->second.room_id != room_id) return Error{ErrorCode::PermissionDenied, "publish_denied", ""};
    return it->second;
  }
  Result<bool> still_allowed(const PublisherGrant& grant) override { return revoked_.count(grant.account_id) == 0; }

 private:
  std::map<std::string, PublisherGrant> grants_;
  std::set<std::string> revoked_;
};

struct Published {
  std::unique_ptr<WebRtcPublisher> peer;
  std::string resource_id;
};

class Whip : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("veil-whip-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    authority_.allow("host-token", PublisherGrant{"g1", kRoom, "s1", "host-account", "host", false});
    authority_.allow("cohost-token", PublisherGrant{"g2", kRoom, "s1", "cohost-account", "cohost", false});
    MediaOptions options;
    options.work_dir = dir_;
    options.check_every = std::chrono::hours(1);  // the tests run the watchdog's pass themselves
    media_ = MediaService::create(options, authority_).value();
  }
  void TearDown() override {
    media_.reset();
    std::filesystem::remove_all(dir_);
  }

  Published publish(const std::string& token, PublisherOptions options) {
    auto peer = WebRtcPublisher::create(std::move(options));
    EXPECT_TRUE(peer.ok());
    auto offer = peer.value()->offer();
    EXPECT_TRUE(offer.ok()) << (offer.ok() ? "" : offer.error().detail);
    auto stream = media_->publish(kRoom, token, offer.value());
    EXPECT_TRUE(stream.ok()) << (stream.ok() ? "" : stream.error().reason + " " + stream.error().detail);
    EXPECT_TRUE(peer.value()->accept_answer(stream.value().answer_sdp).ok());
    return {std::move(peer).value(), stream.value().resource_id};
  }

  test::Picture next_picture() {
    auto segment = test::next_whole_segment(hls_dir());
    EXPECT_TRUE(segment.ok());
    auto frames = test::decode_video(segment.value(), 5);
    EXPECT_TRUE(frames.ok());
    return frames.value().back();
  }

  // Whether a picture the room sends within the next few segments satisfies `wanted`. A change
  // takes a moment to show: a new publisher's connection and first key frame, and the encoder's
  // and segmenter's queues on a loaded 2-core machine.
  template <class F>
  bool eventually(F&& wanted, int segments = 8) {
    for (int i = 0; i < segments; ++i) {
      if (wanted(next_picture())) return true;
    }
    return false;
  }

  std::filesystem::path hls_dir() const { return dir_ / "live" / kRoom; }

  std::filesystem::path dir_;
  FakeAuthority authority_;
  std::unique_ptr<MediaService> media_;
};

PublisherOptions colour(unsigned argb, const std::string& codec = "VP8") {
  PublisherOptions o;
  o.video = test::solid_colour_source(argb);
  o.video_codec = codec;
  return o;
}

bool looks_green(const test::Picture& p, int x, int w) {
  return p.mean_y(x, 120, w, 120) > 100 && p.mean_u(x, 120, w, 120) < 100 && p.mean_v(x, 120, w, 120) < 90;
}
bool looks_black(const test::Picture& p, int x, int w) {
  return p.mean_y(x, 0, w, 360) < 30 && std::abs(p.mean_u(x, 0, w, 360) - 128) < 10 && std::abs(p.mean_v(x, 0, w, 360) - 128) < 10;
}

TEST_F(Whip, APublishersPictureArrivesInTheRoomsHls) {
  auto host = publish("host-token", colour(kGreen));
  test::Picture picture = next_picture();
  EXPECT_EQ(picture.width, 640);
  EXPECT_EQ(picture.height, 360);
  EXPECT_TRUE(eventually([](const test::Picture& p) { return looks_green(p, 0, 640); }));
}

TEST_F(Whip, H264PublishersAreDecodedToo) {
  auto host = publish("host-token", colour(kGreen, "H264"));
  EXPECT_TRUE(eventually([](const test::Picture& p) { return looks_green(p, 0, 640); }));
}

// A browser lists several video codecs, its favourite first, and sends the first the answer keeps:
// the answer keeps only the one Veil decodes, so an offer led by VP9 still shows its picture.
TEST_F(Whip, TheAnswerKeepsOnlyTheCodecVeilDecodes) {
  auto peer = WebRtcPublisher::create(colour(kGreen)).value();
  std::string offer = peer->offer().value();
  auto m_video = offer.find("m=video ");
  ASSERT_NE(m_video, std::string::npos);
  auto formats = offer.find("SAVPF ", m_video) + 6;
  offer.insert(formats, "121 ");
  auto line_end = offer.find("\r\n", m_video) + 2;
  offer.insert(line_end, "a=rtpmap:121 VP9/90000\r\n");

  auto stream = media_->publish(kRoom, "host-token", offer);
  ASSERT_TRUE(stream.ok()) << stream.error().reason << " " << stream.error().detail;
  const std::string& answer = stream->answer_sdp;
  std::string answered_video = answer.substr(answer.find("m=video "));
  answered_video = answered_video.substr(0, answered_video.find("\r\n"));
  EXPECT_EQ(answered_video.find(" 121"), std::string::npos) << answered_video;
  EXPECT_EQ(answer.find("VP9"), std::string::npos) << answer;
  EXPECT_NE(answer.find("VP8/90000"), std::string::npos) << answer;
  ASSERT_TRUE(peer->accept_answer(answer).ok());
  EXPECT_TRUE(eventually([](const test::Picture& p) { return looks_green(p, 0, 640); }));
}

TEST_F(Whip, AVoiceOnlyPublisherIsHeardOverABlackPicture) {
  PublisherOptions voice;
  voice.video.clear();
  auto host = publish("host-token", voice);
  auto segment = test::next_whole_segment(hls_dir());
  ASSERT_TRUE(segment.ok());
  EXPECT_GT(test::audio_rms(segment.value()).value(), 0.1);  // the 440 Hz tone at half volume
  EXPECT_TRUE(looks_black(test::decode_video(segment.value(), 1).value().front(), 0, 640));
}

TEST_F(Whip, HostAndCoHostAreSideBySide) {
  auto host = publish("host-token", colour(kRed));
  auto cohost = publish("cohost-token", colour(kBlue));
  // The host, red, on the left; the co-host, blue, on the right.
  EXPECT_TRUE(eventually([](const test::Picture& p) { return p.mean_v(40, 140, 240, 80) > 200 && p.mean_u(360, 140, 240, 80) > 200; }));
}

TEST_F(Whip, DeletingTheResourceTakesThePictureOut) {
  auto host = publish("host-token", colour(kGreen));
  ASSERT_TRUE(eventually([](const test::Picture& p) { return looks_green(p, 0, 640); }));
  ASSERT_TRUE(media_->unpublish(kRoom, host.resource_id).ok());
  EXPECT_TRUE(eventually([](const test::Picture& p) { return looks_black(p, 0, 640); }));
  EXPECT_EQ(media_->unpublish(kRoom, host.resource_id).error().reason, "not_found");
}

TEST_F(Whip, ARevokedCoHostLeavesAtTheNextCheckWhileTheHostStays) {
  auto host = publish("host-token", colour(kRed));
  auto cohost = publish("cohost-token", colour(kBlue));
  ASSERT_TRUE(eventually([](const test::Picture& p) { return p.mean_u(360, 140, 240, 80) > 200; }));
  authority_.revoke("cohost-account");
  media_->check_publishers();
  EXPECT_EQ(media_->health().publishers, 1u);
  // The host alone fills the picture; no blue is left.
  EXPECT_TRUE(eventually([](const test::Picture& p) { return p.mean_v(240, 140, 160, 80) > 200 && p.mean_u(0, 0, 640, 360) < 140; }));
}

TEST_F(Whip, APublisherWhoseMediaStopsIsTakenOut) {
  MediaOptions options;
  options.work_dir = dir_;
  options.check_every = std::chrono::hours(1);
  options.silent_after = std::chrono::milliseconds(500);
  media_ = MediaService::create(options, authority_).value();
  auto host = publish("host-token", colour(kGreen));
  ASSERT_TRUE(eventually([](const test::Picture& p) { return looks_green(p, 0, 640); }));
  host.peer.reset();  // the publisher vanishes without a DELETE
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  media_->check_publishers();
  EXPECT_EQ(media_->health().publishers, 0u);
  EXPECT_TRUE(eventually([](const test::Picture& p) { return looks_black(p, 0, 640); }));
}

TEST_F(Whip, EndingTheRoomEndsItsOutput) {
  auto host = publish("host-token", colour(kGreen));
  ASSERT_TRUE(next_picture().width > 0);
  media_->end_room(kRoom);
  EXPECT_FALSE(media_->hls_file(kRoom, "index.m3u8"));
  EXPECT_FALSE(std::filesystem::exists(hls_dir()));
  EXPECT_EQ(media_->health().rooms, 0u);
}

TEST_F(Whip, OnlyHlsFileNamesOfALiveRoomAreServed) {
  auto host = publish("host-token", colour(kGreen));
  ASSERT_TRUE(test::next_whole_segment(hls_dir()).ok());
  EXPECT_TRUE(media_->hls_file(kRoom, "index.m3u8"));
  EXPECT_FALSE(media_->hls_file(kRoom, "../index.m3u8"));
  EXPECT_FALSE(media_->hls_file(kRoom, "segment0000a.ts"));
  EXPECT_FALSE(media_->hls_file("../" + kRoom, "index.m3u8"));
  EXPECT_FALSE(media_->hls_file("ffff", "index.m3u8"));
}

// Bad input: each refusal is coded, and nothing is built for it.
TEST_F(Whip, BadOffersAndCredentialsAreRefusedWithACode) {
  auto peer = WebRtcPublisher::create(colour(kGreen)).value();
  std::string offer = peer->offer().value();
  EXPECT_EQ(media_->publish(kRoom, "wrong-token", offer).error().reason, "publish_denied");
  EXPECT_EQ(media_->publish("ffff", "host-token", offer).error().reason, "publish_denied");
  EXPECT_EQ(media_->publish(kRoom, "host-token", "hello").error().reason, "sdp_invalid");
  EXPECT_EQ(media_->publish(kRoom, "host-token", std::string(64 * 1024, 'v')).error().reason, "sdp_too_large");
  std::string vp9_only =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 98\r\nc=IN IP4 0.0.0.0\r\n"
      "a=rtpmap:98 VP9/90000\r\na=sendonly\r\n";
  EXPECT_EQ(media_->publish(kRoom, "host-token", vp9_only).error().reason, "sdp_codec_unsupported");
  std::string receive_only = offer;
  for (auto pos = receive_only.find("a=sendonly"); pos != std::string::npos; pos = receive_only.find("a=sendonly"))
    receive_only.replace(pos, 10, "a=recvonly");
  EXPECT_EQ(media_->publish(kRoom, "host-token", receive_only).error().reason, "sdp_codec_unsupported");
  EXPECT_EQ(media_->health().rooms, 0u);
}

TEST_F(Whip, AMaskedCoHostIsRefusedWhenNoMaskCanBeMade) {
  authority_.allow("masked-token", PublisherGrant{"g3", kRoom, "s1", "masked-account", "cohost", true});
  MediaOptions options;
  options.work_dir = dir_;
  options.make_mask = []() -> Result<std::unique_ptr<FaceMask>> { return Error{ErrorCode::Unavailable, "media_unavailable", "test"}; };
  media_ = MediaService::create(options, authority_).value();
  auto peer = WebRtcPublisher::create(colour(kGreen)).value();
  EXPECT_EQ(media_->publish(kRoom, "masked-token", peer->offer().value()).error().reason, "media_unavailable");
  EXPECT_EQ(media_->health().publishers, 0u);
}

}  // namespace
}  // namespace veil::media
