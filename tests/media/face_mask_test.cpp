// The masked co-host's face blur ([000] 面具连线: a masked co-host's face is shown to no one but
// the host), proven on real pictures from opencv-doc: Megamind.avi (270 frames of faces that move,
// turn and cut between shots) and messi5.jpg (a busy real scene with Messi's 44 px face), decoded
// by GStreamer into the I420 the room pipeline hands the mask.
//
// "A face" is whatever OpenCV's stock detector (detectMultiScale with its defaults, on the full
// 640x360 frame before masking) finds; "sharp" and "blurred" are the variance of the Laplacian of
// that rectangle's luma.
#include "media/face_mask.hpp"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "media/gst_support.hpp"

namespace veil::media {
namespace {

constexpr const char* kData = "/usr/share/doc/opencv-doc/examples/data/";
constexpr int kWidth = 640;
constexpr int kHeight = 360;

// Unblurred faces in Megamind score at least 103 in 99 % of frames (the figure behind the
// architecture notes, checked again in the first test); GStreamer's faceblur leaves them at 19 or
// less. The mask must do at least as well as faceblur: no face above 19. It does far better (the
// smeared picture is smooth ramps whose Laplacian is rounding noise, under 6 on Megamind), so 19
// leaves room for nothing but a face that was not covered at all.
constexpr double kSharp = 103;
constexpr double kBlurred = 19;
// A whole picture blurred: its Laplacian variance is rounding noise, about 1; a real picture's
// is 40 (Megamind's dark scenes) and more.
constexpr double kFlat = 5;

// One decoded picture, I420 with the planes packed one after another.
class Picture {
 public:
  Picture(int width, int height)
      : width_(width),
        height_(height),
        bytes_(static_cast<std::size_t>(width * height + 2 * chroma_width() * chroma_height())) {}

  I420Frame frame() {
    std::uint8_t* luma = bytes_.data();
    std::uint8_t* u = luma + static_cast<std::ptrdiff_t>(width_) * height_;
    std::uint8_t* v = u + static_cast<std::ptrdiff_t>(chroma_width()) * chroma_height();
    return {{luma, u, v}, {width_, chroma_width(), chroma_width()}, width_, height_};
  }
  cv::Mat luma() { return cv::Mat(height_, width_, CV_8UC1, bytes_.data()); }
  cv::Size size() const { return {width_, height_}; }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  int chroma_width() const { return (width_ + 1) / 2; }
  int chroma_height() const { return (height_ + 1) / 2; }

  int width_;
  int height_;
  std::vector<std::uint8_t> bytes_;
};

// Every picture of `file` (opencv-doc's examples), scaled to width x height.
std::vector<Picture> decode(const std::string& file, int width, int height) {
  gst_init(nullptr, nullptr);
  const std::string description = "filesrc location=" + std::string(kData) + file +
                                  " ! decodebin ! videoconvert ! videoscale ! "
                                  "video/x-raw,format=I420,width=" +
                                  std::to_string(width) + ",height=" + std::to_string(height) +
                                  " ! appsink name=out sync=false";
  GError* error = nullptr;
  GstRef<GstElement> pipeline(gst_parse_launch(description.c_str(), &error));
  if (error != nullptr) {
    ADD_FAILURE() << "cannot decode " << file << ": " << error->message;
    g_error_free(error);
    return {};
  }
  GstRef<GstElement> sink(gst_bin_get_by_name(GST_BIN(pipeline.get()), "out"));
  gst_element_set_state(pipeline.get(), GST_STATE_PLAYING);
  std::vector<Picture> pictures;
  // NULL at the end of the stream, and on an error (the callers check the count).
  while (GstSample* sample = gst_app_sink_pull_sample(GST_APP_SINK(sink.get()))) {
    GstVideoInfo info;
    GstVideoFrame mapped;
    if (gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) &&
        gst_video_frame_map(&mapped, &info, gst_sample_get_buffer(sample), GST_MAP_READ)) {
      Picture picture(width, height);
      const I420Frame to = picture.frame();
      for (int plane = 0; plane < 3; ++plane) {
        const auto* from =
            static_cast<const std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&mapped, plane));
        const int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&mapped, plane);
        const int rows = plane == 0 ? height : (height + 1) / 2;
        for (int row = 0; row < rows; ++row) {
          std::memcpy(to.planes[plane] + static_cast<std::ptrdiff_t>(row) * to.strides[plane],
                      from + static_cast<std::ptrdiff_t>(row) * stride,
                      static_cast<std::size_t>(to.strides[plane]));
        }
      }
      gst_video_frame_unmap(&mapped);
      pictures.push_back(std::move(picture));
    }
    gst_sample_unref(sample);
  }
  gst_element_set_state(pipeline.get(), GST_STATE_NULL);
  return pictures;
}

// Decoded once for the whole binary: the tests only read them (and mask copies).
const std::vector<Picture>& megamind() {
  static const std::vector<Picture> pictures = decode("Megamind.avi", kWidth, kHeight);
  return pictures;
}
Picture messi(int width = kWidth, int height = kHeight) {
  std::vector<Picture> pictures = decode("messi5.jpg", width, height);
  if (pictures.size() != 1) throw std::runtime_error("messi5.jpg did not decode to one picture");
  return std::move(pictures.front());
}

// Megamind's frame rate, 2997/125 fps: stream time of frame `index` in ms.
std::int64_t megamind_ms(std::size_t index) {
  return static_cast<std::int64_t>(index) * 125'000 / 2997;
}
std::int64_t at_30fps(int index) { return index * 100 / 3; }

std::vector<cv::Rect> stock_faces(const cv::Mat& grey) {
  static cv::CascadeClassifier cascade(kFrontalFaceCascade);
  std::vector<cv::Rect> faces;
  cascade.detectMultiScale(grey, faces);  // OpenCV's defaults: scale 1.1, 3 neighbours, any size
  return faces;
}

double laplacian_variance(const cv::Mat& grey, const cv::Rect& where) {
  cv::Mat laplacian;
  cv::Laplacian(grey(where).clone(), laplacian, CV_64F);
  cv::Scalar mean;
  cv::Scalar deviation;
  cv::meanStdDev(laplacian, mean, deviation);
  return deviation[0] * deviation[0];
}
double laplacian_variance(const cv::Mat& grey) {
  return laplacian_variance(grey, cv::Rect(0, 0, grey.cols, grey.rows));
}

std::unique_ptr<FaceMask> haar_mask(HaarOptions haar = {}, FaceMaskOptions options = {}) {
  auto detector = make_haar_face_detector(std::move(haar));
  if (!detector.ok()) throw std::runtime_error(detector.error().detail);
  auto mask = FaceMask::create(std::move(detector).value(), options);
  if (!mask.ok()) throw std::runtime_error(mask.error().detail);
  return std::move(mask).value();
}

// Test doubles for the detector.
class FindsNothing final : public FaceDetector {
 public:
  std::vector<cv::Rect> detect(const cv::Mat&) override { return {}; }
};

class Throws final : public FaceDetector {
 public:
  std::vector<cv::Rect> detect(const cv::Mat&) override {
    throw std::runtime_error("the detector broke");
  }
};

// Reports whatever the test sets in `faces`; `throws` makes the next calls throw.
class Scripted final : public FaceDetector {
 public:
  explicit Scripted(int calls_per_scan = 1) : calls_per_scan_(calls_per_scan) {}
  std::vector<cv::Rect> detect(const cv::Mat&) override {
    if (throws)
      throw cv::Exception(cv::Error::StsError, "scripted failure", "detect", __FILE__, __LINE__);
    return faces;
  }
  int calls_per_scan() const override { return calls_per_scan_; }

  std::vector<cv::Rect> faces;
  bool throws = false;

 private:
  int calls_per_scan_;
};

std::unique_ptr<FaceMask> mask_with(std::unique_ptr<FaceDetector> detector,
                                    FaceMaskOptions options = {}) {
  auto mask = FaceMask::create(std::move(detector), options);
  if (!mask.ok()) throw std::runtime_error(mask.error().detail);
  return std::move(mask).value();
}

// Messi's face and a second rectangle where the stock detector finds one in messi5.jpg at 640x360.
const cv::Rect kMessisFace(265, 95, 44, 44);
const cv::Rect kOtherFace(512, 238, 61, 61);

// A mask over one picture whose detector reports what the test sets in `script.faces`.
struct ScriptedMask {
  explicit ScriptedMask(Picture picture, FaceMaskOptions options = {}, int calls_per_scan = 1)
      : original(std::move(picture)) {
    auto detector = std::make_unique<Scripted>(calls_per_scan);
    script = detector.get();
    mask = mask_with(std::move(detector), options);
  }
  // The picture as the mask leaves it at stream time `at_ms`.
  Picture show(std::int64_t at_ms) {
    Picture masked = original;
    mask->apply(masked.frame(), at_ms);
    return masked;
  }

  Picture original;
  Scripted* script = nullptr;
  std::unique_ptr<FaceMask> mask;
};

// ------------------------------------------------------------------------------------------------

TEST(FaceMask, EveryFaceTheStockDetectorFindsInMegamindLosesItsDetail) {
  const std::vector<Picture>& frames = megamind();
  ASSERT_EQ(frames.size(), 270u);
  auto mask = haar_mask();
  int faces = 0;
  int frames_with_faces = 0;
  int frames_with_a_sharp_face = 0;
  double worst = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    Picture original = frames[i];
    Picture masked = original;
    mask->apply(masked.frame(), megamind_ms(i));
    const std::vector<cv::Rect> found = stock_faces(original.luma());
    double sharpest = 0;
    for (const cv::Rect& face : found) {
      ++faces;
      sharpest = std::max(sharpest, laplacian_variance(original.luma(), face));
      const double after = laplacian_variance(masked.luma(), face);
      worst = std::max(worst, after);
      EXPECT_LE(after, kBlurred) << "frame " << i << ", face at " << face;
    }
    frames_with_faces += found.empty() ? 0 : 1;
    frames_with_a_sharp_face += sharpest >= kSharp ? 1 : 0;
  }
  // The material is what the thresholds assume: many faces, sharp before masking (measured: 372
  // faces in 263 frames; in 250 of them the sharpest face scores 103 or more).
  EXPECT_GE(faces, 350);
  EXPECT_GE(frames_with_faces, 250);
  EXPECT_GE(frames_with_a_sharp_face, frames_with_faces * 9 / 10);
  RecordProperty("stock_faces", faces);
  RecordProperty("worst_masked_variance_x100", static_cast<int>(worst * 100));
  std::printf(
      "Megamind: %d faces in %d frames (%d with a face >= %.0f before masking); "
      "worst face after masking %.2f\n",
      faces, frames_with_faces, frames_with_a_sharp_face, kSharp, worst);
}

TEST(FaceMask, MessisFaceInTheBusyRealSceneIsBlurred) {
  Picture original = messi();
  const std::vector<cv::Rect> found = stock_faces(original.luma());
  // The stock detector finds Messi's small face (and a few in the stands).
  const bool has_messi = std::any_of(found.begin(), found.end(), [](const cv::Rect& face) {
    return (face & kMessisFace).area() > kMessisFace.area() / 2;
  });
  ASSERT_TRUE(has_messi);
  ASSERT_GE(laplacian_variance(original.luma(), kMessisFace), kSharp);

  auto mask = haar_mask();
  const int scan = HaarOptions{}.calls_per_scan;
  for (int i = 0; i < 2 * scan; ++i) {
    Picture masked = original;
    mask->apply(masked.frame(), at_30fps(i));
    for (const cv::Rect& face : found) {
      EXPECT_LE(laplacian_variance(masked.luma(), face), kBlurred) << "frame " << i << " " << face;
    }
  }
  // Once a full scan has run, only the faces are blurred, not the whole picture.
  EXPECT_EQ(mask->stats().fully_blurred, static_cast<std::uint64_t>(scan - 1));
}

TEST(FaceMask, PictureOutsideTheFacesKeepsItsDetail) {
  Picture original = messi();
  // The crowd and pitch at the lower left: no face there.
  const cv::Rect no_face(0, 200, 240, 160);
  for (const cv::Rect& face : stock_faces(original.luma())) ASSERT_EQ((face & no_face).area(), 0);

  auto mask = haar_mask();
  Picture masked = original;
  for (int i = 0; i < HaarOptions{}.calls_per_scan; ++i) {
    masked = original;
    mask->apply(masked.frame(), at_30fps(i));
  }
  ASSERT_EQ(mask->stats().fully_blurred,
            static_cast<std::uint64_t>(HaarOptions{}.calls_per_scan - 1));
  // Untouched, byte for byte, and most of the picture is.
  EXPECT_EQ(cv::norm(original.luma()(no_face), masked.luma()(no_face), cv::NORM_INF), 0);
  const double unchanged =
      1.0 - cv::countNonZero(original.luma() != masked.luma()) / double(kWidth * kHeight);
  EXPECT_GE(unchanged, 0.7);  // measured: 0.795 (Messi and three boxes in the stands)
}

TEST(FaceMask, WithNoFaceFoundEveryFrameIsFullyBlurredFromTheFirst) {
  const std::vector<Picture>& frames = megamind();
  ASSERT_GE(frames.size(), 40u);
  auto mask = mask_with(std::make_unique<FindsNothing>());
  // Megamind's first frames are black, so the mask's first frame is its 11th.
  for (std::size_t i = 10; i < 40; ++i) {
    Picture original = frames[i];
    Picture masked = original;
    mask->apply(masked.frame(), megamind_ms(i));
    // Megamind's dark scenes score 40 and up before, about 1.2 (rounding noise) after.
    const double before = laplacian_variance(original.luma());
    const double after = laplacian_variance(masked.luma());
    EXPECT_LE(after, kFlat) << "frame " << i;
    EXPECT_LE(20 * after, before) << "frame " << i;
  }
  EXPECT_EQ(mask->stats().frames, 30u);
  EXPECT_EQ(mask->stats().fully_blurred, 30u);
}

TEST(FaceMask, ADetectorThatThrowsBlursTheWholePictureAndIsCounted) {
  Picture original = messi();
  auto mask = mask_with(std::make_unique<Throws>());
  for (int i = 0; i < 5; ++i) {
    Picture masked = original;
    mask->apply(masked.frame(), at_30fps(i));
    EXPECT_LE(laplacian_variance(masked.luma()), kFlat);
  }
  const FaceMaskStats stats = mask->stats();
  EXPECT_EQ(stats.detector_errors, 5u);
  EXPECT_EQ(stats.fully_blurred, 5u);
}

TEST(FaceMask, AnErrorAfterFacesWereFoundStillBlursTheWholePicture) {
  ScriptedMask m(messi());
  m.script->faces = {kMessisFace};
  ASSERT_GT(laplacian_variance(m.show(0).luma()), 20 * kFlat);  // only the face

  m.script->throws = true;  // the held box is not enough: this frame's faces are unknown
  EXPECT_LE(laplacian_variance(m.show(33).luma()), kFlat);
  EXPECT_EQ(m.mask->stats().detector_errors, 1u);
}

TEST(FaceMask, ALostFaceStaysCoveredThenTheWholePictureIsBlurredUntilItIsFoundAgain) {
  const FaceMaskOptions options;
  ScriptedMask m(messi(), options);
  auto& script = *m.script;

  script.faces = {kMessisFace};
  Picture masked = m.show(0);
  EXPECT_LE(laplacian_variance(masked.luma(), kMessisFace), kBlurred);
  EXPECT_GT(laplacian_variance(masked.luma()), 20 * kFlat);

  script.faces = {};  // lost: its box holds while it may just have been missed
  masked = m.show(options.full_blur_after_ms);
  EXPECT_LE(laplacian_variance(masked.luma(), kMessisFace), kBlurred);
  EXPECT_GT(laplacian_variance(masked.luma()), 20 * kFlat);

  masked = m.show(options.full_blur_after_ms + 1);  // gone too long: everything
  EXPECT_LE(laplacian_variance(masked.luma()), kFlat);
  masked = m.show(options.hold_ms + 1000);
  EXPECT_LE(laplacian_variance(masked.luma()), kFlat);

  script.faces = {kMessisFace};  // found again: only the face
  masked = m.show(options.hold_ms + 1033);
  EXPECT_LE(laplacian_variance(masked.luma(), kMessisFace), kBlurred);
  EXPECT_GT(laplacian_variance(masked.luma()), 20 * kFlat);
  EXPECT_EQ(m.mask->stats().fully_blurred, 2u);
}

TEST(FaceMask, AFaceLostBesideAnotherKeepsItsBoxForTheHoldTime) {
  const FaceMaskOptions options;
  ScriptedMask m(messi(), options);
  auto& script = *m.script;

  script.faces = {kMessisFace, kOtherFace};
  m.show(0);
  script.faces = {kOtherFace};  // Messi's face no longer found; the other one still is
  Picture masked = m.show(options.hold_ms);
  EXPECT_LE(laplacian_variance(masked.luma(), kMessisFace), kBlurred);
  masked = m.show(options.hold_ms + 1);
  EXPECT_EQ(cv::norm(m.original.luma()(kMessisFace), masked.luma()(kMessisFace), cv::NORM_INF), 0);
  EXPECT_LE(laplacian_variance(masked.luma(), kOtherFace), kBlurred);
  EXPECT_EQ(m.mask->stats().fully_blurred, 0u);
}

// A detector that spreads its scan over four frames: a face of another size may not have been
// looked for yet, so the picture stays blurred until all four have run — at the start and after
// a scene cut.
TEST(FaceMask, UntilAFullScanHasRunTheWholePictureIsBlurred) {
  Picture still = messi();
  Picture other_scene = megamind()[10];
  auto detector = std::make_unique<Scripted>(4);
  Scripted& script = *detector;
  auto mask = mask_with(std::move(detector));
  script.faces = {kMessisFace};
  auto fully_blurred = [&](Picture picture, int index) {
    mask->apply(picture.frame(), at_30fps(index));
    return laplacian_variance(picture.luma()) <= kFlat;
  };
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(fully_blurred(still, i)) << "frame " << i;
  EXPECT_FALSE(fully_blurred(still, 3));
  EXPECT_FALSE(fully_blurred(still, 4));

  // The cut: everything learnt before it is forgotten.
  for (int i = 5; i < 8; ++i) EXPECT_TRUE(fully_blurred(other_scene, i)) << "frame " << i;
  EXPECT_FALSE(fully_blurred(other_scene, 8));
}

TEST(FaceMask, AJumpBackInStreamTimeStartsOverFullyBlurred) {
  ScriptedMask m(messi(), {}, 2);
  m.script->faces = {kMessisFace};
  for (std::int64_t at_ms : {1000, 1033, 1066}) m.show(at_ms);
  ASSERT_EQ(m.mask->stats().fully_blurred, 1u);
  EXPECT_LE(laplacian_variance(m.show(0).luma()), kFlat);  // a new segment
}

// 1280x720 frames are scanned at 640x360 (FaceMaskOptions::detect_height) and blurred at full size.
TEST(FaceMask, BlursFacesInA720pFrameToo) {
  Picture original = messi(2 * kWidth, 2 * kHeight);
  cv::Mat reduced;
  cv::resize(original.luma(), reduced, cv::Size(kWidth, kHeight), 0, 0, cv::INTER_AREA);
  auto mask = haar_mask();
  Picture masked = original;
  for (int i = 0; i < HaarOptions{}.calls_per_scan; ++i) {
    masked = original;
    mask->apply(masked.frame(), at_30fps(i));
  }
  ASSERT_EQ(mask->stats().fully_blurred,
            static_cast<std::uint64_t>(HaarOptions{}.calls_per_scan - 1));
  const std::vector<cv::Rect> found = stock_faces(reduced);
  ASSERT_FALSE(found.empty());
  for (const cv::Rect& face : found) {
    const cv::Rect at_720p(2 * face.x, 2 * face.y, 2 * face.width, 2 * face.height);
    EXPECT_LE(laplacian_variance(masked.luma(), at_720p), kBlurred) << at_720p;
  }
}

// Odd sizes have chroma planes rounded up and strides wider than the picture: blurred to the
// last pixel, nothing written past a row.
TEST(FaceMask, OddSizedFramesWithPaddedRowsAreBlurredToTheEdge) {
  const int width = 321;
  const int height = 181;
  const int strides[3] = {336, 176, 176};
  std::vector<std::uint8_t> planes[3];
  I420Frame frame{};
  for (int i = 0; i < 3; ++i) {
    const int rows = i == 0 ? height : (height + 1) / 2;
    planes[i].resize(static_cast<std::size_t>(strides[i] * rows));
    cv::randu(cv::Mat(rows, strides[i], CV_8UC1, planes[i].data()), 0, 256);
    frame.planes[i] = planes[i].data();
    frame.strides[i] = strides[i];
  }
  frame.width = width;
  frame.height = height;
  const std::vector<std::uint8_t> padding_before(planes[0].begin() + width,
                                                 planes[0].begin() + strides[0]);

  auto mask = mask_with(std::make_unique<FindsNothing>());
  mask->apply(frame, 0);
  const cv::Mat luma(height, width, CV_8UC1, planes[0].data(),
                     static_cast<std::size_t>(strides[0]));
  EXPECT_LE(laplacian_variance(luma), kFlat);
  EXPECT_LE(laplacian_variance(luma, cv::Rect(width - 8, height - 8, 8, 8)), kFlat);
  EXPECT_TRUE(std::equal(padding_before.begin(), padding_before.end(), planes[0].begin() + width));
}

TEST(FaceMask, RefusesOptionsThatWouldLeaveAGap) {
  FaceMaskOptions hold_too_short;
  hold_too_short.hold_ms = 100;
  hold_too_short.full_blur_after_ms = 400;
  auto refused = FaceMask::create(std::make_unique<FindsNothing>(), hold_too_short);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);

  FaceMaskOptions no_blur;
  no_blur.box_cells = 0;
  EXPECT_FALSE(FaceMask::create(std::make_unique<FindsNothing>(), no_blur).ok());
  EXPECT_FALSE(FaceMask::create(nullptr).ok());
}

TEST(HaarFaceDetector, AMissingCascadeIsAnErrorThatNamesTheFile) {
  HaarOptions options;
  options.cascade_path = "/nonexistent/cascade.xml";
  auto detector = make_haar_face_detector(options);
  ASSERT_FALSE(detector.ok());
  EXPECT_NE(detector.error().detail.find("/nonexistent/cascade.xml"), std::string::npos);
}

// On a still picture, once every band has run, the spread-out scan finds what the stock detector
// finds in one go.
TEST(HaarFaceDetector, AFullRoundOfBandsFindsWhatTheStockDetectorFinds) {
  Picture picture = messi();
  auto detector = make_haar_face_detector();
  ASSERT_TRUE(detector.ok());
  std::vector<cv::Rect> found;
  for (int i = 0; i < (*detector)->calls_per_scan(); ++i)
    found = (*detector)->detect(picture.luma());
  for (const cv::Rect& stock : stock_faces(picture.luma())) {
    EXPECT_TRUE(std::any_of(found.begin(), found.end(), [&](const cv::Rect& f) {
      return f == stock;
    })) << stock;
  }
}

}  // namespace
}  // namespace veil::media
