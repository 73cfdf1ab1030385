// [000] 面具连线: a masked co-host's face is hidden from everyone but the host. Proven on a real
// picture (opencv-doc's messi5.jpg, a busy scene with a small face) by what arrives in the room's
// HLS output: every face OpenCV's stock detector finds in the unmasked output has lost its detail
// in the masked output, and with a detector that finds nothing the whole picture is blurred. The
// host alone sees the co-host unmasked, at a private Janus mountpoint; the public one is masked.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <thread>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "http/curl_http_client.hpp"
#include "media/face_detector.hpp"
#include "media/janus_server.hpp"
#include "media/media_service.hpp"
#include "media/support/media_probe.hpp"
#include "media/support/webrtc_publisher.hpp"
#include "media/support/webrtc_viewer.hpp"

namespace veil::media {
namespace {

const std::string kMessi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

// The variance of the Laplacian: high where there is fine detail (an eye, a mouth), low once it is
// blurred away. ARCHITECTURE.md: unblurred faces score ≥ 103 in 99 % of Megamind's frames.
double sharpness(const test::Picture& p, cv::Rect r) {
  cv::Mat y(p.height, p.width, CV_8UC1, const_cast<std::uint8_t*>(p.y.data()));
  cv::Mat laplacian;
  cv::Laplacian(y(r & cv::Rect(0, 0, p.width, p.height)), laplacian, CV_64F);
  cv::Scalar mean, deviation;
  cv::meanStdDev(laplacian, mean, deviation);
  return deviation[0] * deviation[0];
}

std::vector<cv::Rect> stock_detector_faces(const test::Picture& p) {
  cv::CascadeClassifier cascade(kFrontalFaceCascade);
  cv::Mat y(p.height, p.width, CV_8UC1, const_cast<std::uint8_t*>(p.y.data()));
  std::vector<cv::Rect> faces;
  cascade.detectMultiScale(y, faces);
  return faces;
}

class NothingFound : public FaceDetector {
 public:
  std::vector<cv::Rect> detect(const cv::Mat&) override { return {}; }
};

class Authority : public PublishAuthority {
 public:
  Result<PublisherGrant> check(const std::string& room_id, std::string_view token, Ingest) override {
    return PublisherGrant{"g-" + room_id, room_id, "s-" + room_id, "account-" + room_id, "cohost", token == "masked"};
  }
  Result<bool> still_allowed(const PublisherGrant&) override { return true; }
};

class MaskedCoHost : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kMessi)) << "opencv-doc is installed by scripts/setup.sh --tests";
    dir_ = std::filesystem::temp_directory_path() / ("veil-mask-" + std::to_string(::getpid()));
  }
  void TearDown() override {
    media_.reset();
    std::filesystem::remove_all(dir_);
  }
  void start(std::function<Result<std::unique_ptr<FaceMask>>()> make_mask, bool with_janus = false) {
    MediaOptions options;
    options.work_dir = dir_;
    options.check_every = std::chrono::hours(1);
    options.make_mask = std::move(make_mask);
    if (with_janus) options.janus_http = &http_;
    media_ = MediaService::create(options, authority_).value();
  }
  // A WHEP viewer of `offer` (Janus's), answered at the resource, once its first frames arrived.
  test::WebRtcViewer* watch(const std::string& room, Result<WatchOffer> offer, const std::string& ice_address) {
    EXPECT_TRUE(offer.ok()) << offer.error().reason << ": " << offer.error().detail;
    if (!offer.ok()) return nullptr;
    test::ViewerOptions o;
    o.local_addresses = {ice_address};
    viewers_.push_back(test::WebRtcViewer::create(o).value());
    test::WebRtcViewer& viewer = *viewers_.back();
    EXPECT_TRUE(media_->answer_watch(room, offer->resource_id, viewer.answer(offer->offer_sdp).value()).ok());
    EXPECT_TRUE(viewer.wait_for_frames(30, std::chrono::seconds(30))) << viewer.describe();
    return &viewer;
  }
  static test::Picture latest(const test::WebRtcViewer& viewer) {
    test::Picture p;
    auto frame = viewer.last_frame();
    if (!frame) return p;
    p.width = frame->width;
    p.height = frame->height;
    p.y.assign(frame->i420.begin(), frame->i420.begin() + p.width * p.height);
    return p;
  }
  // Publishes messi5.jpg into `room` (masked or not) and returns a frame of the room's HLS output
  // once the picture is there and the encoders have settled (the first frames of a stream are
  // coarse, which would make the unmasked reference look blurred).
  test::Picture publish_messi(const std::string& room, bool masked) {
    test::PublisherOptions o;
    o.video = test::still_picture_source(kMessi);
    o.audio = false;
    publishers_.push_back(test::WebRtcPublisher::create(o).value());
    auto stream = media_->publish(room, masked ? "masked" : "plain", publishers_.back()->offer().value());
    EXPECT_TRUE(stream.ok()) << (stream.ok() ? "" : stream.error().detail);
    EXPECT_TRUE(publishers_.back()->accept_answer(stream.value().answer_sdp).ok());
    for (int i = 0; i < 10; ++i) {
      auto segment = test::next_whole_segment(dir_ / "live" / room);
      if (!segment.ok()) break;
      test::Picture p = test::decode_video(segment.value(), 5).value().back();
      if (p.mean_y(0, 0, p.width, p.height) < 40) continue;  // still the empty room's black
      auto settled = test::next_whole_segment(dir_ / "live" / room);
      if (settled.ok()) return test::decode_video(settled.value()).value().back();
    }
    ADD_FAILURE() << "the publisher's picture never arrived";
    return {};
  }

  std::filesystem::path dir_;
  http::CurlHttpClient http_;
  Authority authority_;
  std::unique_ptr<MediaService> media_;
  std::vector<std::unique_ptr<test::WebRtcPublisher>> publishers_;
  std::vector<std::unique_ptr<test::WebRtcViewer>> viewers_;  // before media_: torn down first
};

TEST_F(MaskedCoHost, EveryFaceTheStockDetectorFindsIsBlurredInTheRoomsOutput) {
  start([]() -> Result<std::unique_ptr<FaceMask>> { return FaceMask::create(VEIL_TRY(make_haar_face_detector())); });
  test::Picture plain = publish_messi("0a01", false);
  test::Picture masked = publish_messi("0a02", true);
  ASSERT_GT(plain.width, 0);
  ASSERT_GT(masked.width, 0);
  auto faces = stock_detector_faces(plain);
  ASSERT_FALSE(faces.empty()) << "the stock detector finds Messi's face in the unmasked output";
  for (const auto& face : faces) {
    double before = sharpness(plain, face), after = sharpness(masked, face);
    EXPECT_GT(before, 60) << "unmasked, the face keeps its detail through the encoder";
    EXPECT_LT(after, 19) << "masked, the face at " << face.x << "," << face.y << " has lost it (was " << before << ")";
  }
  EXPECT_TRUE(stock_detector_faces(masked).empty()) << "no face left to find";
}

TEST_F(MaskedCoHost, WhenTheDetectorFindsNoFaceTheWholePictureIsBlurred) {
  start([]() -> Result<std::unique_ptr<FaceMask>> { return FaceMask::create(std::make_unique<NothingFound>()); });
  test::Picture plain = publish_messi("0b01", false);
  test::Picture masked = publish_messi("0b02", true);
  cv::Rect whole(0, 0, 640, 360);
  EXPECT_GT(sharpness(plain, whole), 100);
  EXPECT_LT(sharpness(masked, whole), 10) << "fail closed: nothing found, nothing shown";
}

}  // namespace
}  // namespace veil::media

namespace veil::media {
namespace {

TEST_F(MaskedCoHost, TheHostAloneSeesTheCoHostUnmaskedEveryoneElseSeesTheMask) {
  auto ice = default_ice_interface();
  ASSERT_TRUE(ice.ok()) << "Janus 1.1.2 gathers ICE on a non-loopback interface only";
  start([]() -> Result<std::unique_ptr<FaceMask>> { return FaceMask::create(VEIL_TRY(make_haar_face_detector())); }, true);
  test::Picture hls = publish_messi("0c01", true);  // the masked co-host, alone in the room
  ASSERT_GT(hls.width, 0);

  test::WebRtcViewer* host = watch("0c01", media_->watch_unmasked("0c01", "account-0c01"), ice->address);
  test::WebRtcViewer* everyone = watch("0c01", media_->watch("0c01"), ice->address);
  ASSERT_TRUE(host && everyone);

  // The first frames of a stream are coarse, and more so on a loaded machine: the host's view is
  // sampled until its encoder has settled on the face; the public view is sampled all along, and
  // no sample of it may show the face.
  std::vector<double> everyone_sharpness;
  std::optional<cv::Rect> face;
  for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       std::chrono::steady_clock::now() < until && everyone_sharpness.size() < 10;
       std::this_thread::sleep_for(std::chrono::milliseconds(200))) {
    test::Picture seen = latest(*host);
    test::Picture shown = latest(*everyone);
    ASSERT_GT(shown.width, 0);
    EXPECT_TRUE(stock_detector_faces(shown).empty()) << "a public WebRTC viewer sees no face to find";
    if (!face) {
      auto faces = stock_detector_faces(seen);
      if (faces.empty() || sharpness(seen, faces.front()) <= 60) continue;
      face = faces.front();  // the host sees the face, with its detail
      EXPECT_LT(sharpness(hls, *face), 19) << "HLS does not";
    }
    everyone_sharpness.push_back(sharpness(shown, *face));
  }
  ASSERT_TRUE(face) << "within 30 s the host's view shows the co-host's face with its detail";
  std::sort(everyone_sharpness.begin(), everyone_sharpness.end());
  EXPECT_LT(everyone_sharpness[everyone_sharpness.size() / 2], 19) << "a public WebRTC viewer sees the face blurred";
  EXPECT_LT(everyone_sharpness.back(), 40) << "in every sample";
  EXPECT_EQ(media_->watch_unmasked("0c01", "account-0c02").error().reason, "not_found") << "no such co-host";

  // The co-host leaves: the private mountpoint goes with them, and nobody can open it again.
  media_->end_room("0c01");
  EXPECT_EQ(media_->watch_unmasked("0c01", "account-0c01").error().reason, "not_found");
}

}  // namespace
}  // namespace veil::media
