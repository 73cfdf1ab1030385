#include "media/face_mask.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>
#include <optional>

namespace veil::media {

namespace {

// A view of plane `index` of `frame`: chroma planes are half the size, rounded up.
cv::Mat plane_of(const I420Frame& frame, int index) {
  const int width = index == 0 ? frame.width : (frame.width + 1) / 2;
  const int height = index == 0 ? frame.height : (frame.height + 1) / 2;
  return cv::Mat(height, width, CV_8UC1, frame.planes[index],
                 static_cast<std::size_t>(frame.strides[index]));
}

// Averages `region` down to `cells` and smooths it back up in place. Averaging destroys all detail
// finer than a cell; the bilinear way back leaves smooth ramps instead of a mosaic's block edges
// (which an eye, and the tests' variance of the Laplacian, would pick up as detail). Two resizes
// of a small region: far cheaper than a box blur of comparable strength.
void smear(cv::Mat region, cv::Size cells) {
  cv::Mat small;
  cv::resize(region, small, cells, 0, 0, cv::INTER_AREA);
  cv::resize(small, region, region.size(), 0, 0, cv::INTER_LINEAR);
}

// Smears the luma rectangle `box` and the chroma under it. The box is widened to even coordinates
// so the half-size chroma box covers exactly the same pixels; the colour of the face goes too.
void blur_region(const I420Frame& frame, cv::Rect box, cv::Size cells) {
  const int x0 = box.x & ~1;
  const int y0 = box.y & ~1;
  const int x1 = std::min(frame.width, (box.br().x + 1) & ~1);
  const int y1 = std::min(frame.height, (box.br().y + 1) & ~1);
  const cv::Rect luma(x0, y0, x1 - x0, y1 - y0);
  if (luma.width <= 0 || luma.height <= 0) return;
  smear(plane_of(frame, 0)(luma), cells);
  for (int index : {1, 2}) {
    cv::Mat chroma = plane_of(frame, index);
    const cv::Rect half =
        cv::Rect(luma.x / 2, luma.y / 2, (luma.width + 1) / 2, (luma.height + 1) / 2) &
        cv::Rect(0, 0, chroma.cols, chroma.rows);
    if (half.area() > 0) smear(chroma(half), cells);
  }
}

bool is_valid(const I420Frame& frame) {
  if (frame.width <= 0 || frame.height <= 0) return false;
  for (int index = 0; index < 3; ++index) {
    const int width = index == 0 ? frame.width : (frame.width + 1) / 2;
    if (frame.planes[index] == nullptr || frame.strides[index] < width) return false;
  }
  return true;
}

// `count` cells across the longer (or shorter) side of `size`, the other side in proportion.
cv::Size cells_for(cv::Size size, int count, bool across_longer) {
  const int side =
      across_longer ? std::max(size.width, size.height) : std::min(size.width, size.height);
  const double cell = std::max(1.0, static_cast<double>(side) / count);
  return {std::max(1, static_cast<int>(std::ceil(size.width / cell))),
          std::max(1, static_cast<int>(std::ceil(size.height / cell)))};
}

// The last resort if OpenCV itself fails on the frame: flat grey, written byte by byte.
void paint_grey(const I420Frame& frame) noexcept {
  for (int index = 0; index < 3; ++index) {
    const int width = index == 0 ? frame.width : (frame.width + 1) / 2;
    const int height = index == 0 ? frame.height : (frame.height + 1) / 2;
    for (int row = 0; row < height; ++row) {
      std::memset(frame.planes[index] + static_cast<std::ptrdiff_t>(row) * frame.strides[index],
                  128, static_cast<std::size_t>(width));
    }
  }
}

// The held boxes with every overlapping pair replaced by the rectangle around both, until none
// overlap. Smearing overlapping boxes one after the other would leave a seam — a step between two
// differently averaged pictures — running across a face; one smear per merged box leaves none.
std::vector<cv::Rect> merged(std::vector<cv::Rect> boxes) {
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < boxes.size() && !changed; ++i) {
      for (std::size_t j = i + 1; j < boxes.size() && !changed; ++j) {
        if ((boxes[i] & boxes[j]).area() == 0) continue;
        boxes[i] |= boxes[j];
        boxes.erase(boxes.begin() + static_cast<std::ptrdiff_t>(j));
        changed = true;
      }
    }
  }
  return boxes;
}

double overlap_ratio(const cv::Rect& a, const cv::Rect& b) {  // intersection over union
  const double shared = (a & b).area();
  return shared / (a.area() + b.area() - shared);
}

}  // namespace

Result<std::unique_ptr<FaceMask>> FaceMask::create(std::unique_ptr<FaceDetector> detector,
                                                   FaceMaskOptions options) {
  if (!detector) return Error::invalid("face_mask_options", "no detector");
  // A hold shorter than the full-blur delay would leave a gap in which a face that was just lost
  // is neither boxed nor covered by the full blur.
  if (options.hold_ms < options.full_blur_after_ms || options.full_blur_after_ms < 0) {
    return Error::invalid("face_mask_options", "need 0 <= full_blur_after_ms <= hold_ms");
  }
  if (options.box_cells < 1 || options.frame_cells < 1 || options.margin < 0 ||
      options.max_boxes < 1 || options.detect_height < 0) {
    return Error::invalid("face_mask_options",
                          "need box_cells, frame_cells, max_boxes >= 1 and margin, "
                          "detect_height >= 0");
  }
  return std::unique_ptr<FaceMask>(new FaceMask(std::move(detector), options));
}

FaceMask::FaceMask(std::unique_ptr<FaceDetector> detector, FaceMaskOptions options)
    : detector_(std::move(detector)),
      options_(options),
      calls_per_scan_(std::max(1, detector_->calls_per_scan())) {}

void FaceMask::apply(const I420Frame& frame, std::int64_t at_ms) noexcept {
  if (!is_valid(frame)) return;  // no picture to show, nothing to blur
  Outcome outcome;
  try {
    outcome = mask(frame, at_ms);
  } catch (...) {  // cv::Exception on a malformed frame, bad_alloc: nothing may leave unblurred
    paint_grey(frame);
  }
  const std::lock_guard lock(stats_mutex_);
  ++stats_.frames;
  if (outcome.everything) ++stats_.fully_blurred;
  stats_.detections += outcome.found.value_or(0);
  if (!outcome.found) ++stats_.detector_errors;
}

FaceMask::Outcome FaceMask::mask(const I420Frame& frame, std::int64_t at_ms) {
  // New caps, a new segment or a new scene: nothing known about the picture holds any longer.
  const cv::Size size(frame.width, frame.height);
  const bool cut = scene_cut(frame);
  if (size != frame_size_ || at_ms < last_at_ms_ || cut) forget_all();
  frame_size_ = size;
  last_at_ms_ = at_ms;

  Outcome outcome;
  outcome.found = detect_faces(frame, at_ms);
  outcome.everything = !outcome.found || must_blur_everything(at_ms);
  if (outcome.everything) {
    blur_region(frame, cv::Rect(0, 0, frame.width, frame.height),
                cells_for(size, options_.frame_cells, false));
    return outcome;
  }
  std::vector<cv::Rect> boxes;
  for (const HeldBox& held : boxes_) boxes.push_back(held.box);
  for (const cv::Rect& box : merged(std::move(boxes))) {
    blur_region(frame, box, cells_for(box.size(), options_.box_cells, true));
  }
  return outcome;
}

std::optional<std::size_t> FaceMask::detect_faces(const I420Frame& frame, std::int64_t at_ms) {
  std::vector<cv::Rect> faces;
  double scale = 1;  // detection picture size / frame size
  try {
    cv::Mat grey = plane_of(frame, 0);  // I420's luma is the grey picture the cascade wants
    if (options_.detect_height > 0 && frame.height > options_.detect_height) {
      scale = static_cast<double>(options_.detect_height) / frame.height;
      const cv::Size reduced(std::max(1, cvRound(frame.width * scale)), options_.detect_height);
      cv::resize(grey, reduced_, reduced, 0, 0, cv::INTER_AREA);
      grey = reduced_;
    }
    faces = detector_->detect(grey);
  } catch (...) {  // whatever the detector throws, this frame's faces are unknown
    clean_calls_ = 0;
    return std::nullopt;
  }
  clean_calls_ = std::min(clean_calls_ + 1, calls_per_scan_);

  std::erase_if(boxes_,
                [&](const HeldBox& held) { return at_ms - held.seen_ms > options_.hold_ms; });
  const cv::Rect whole(0, 0, frame.width, frame.height);
  for (const cv::Rect& face : faces) {
    // Back to frame pixels, rounded outwards, then grown by the margin on every side.
    const int x0 = static_cast<int>(std::floor(face.x / scale));
    const int y0 = static_cast<int>(std::floor(face.y / scale));
    const int x1 = static_cast<int>(std::ceil(face.br().x / scale));
    const int y1 = static_cast<int>(std::ceil(face.br().y / scale));
    const int grow_x = static_cast<int>(std::ceil((x1 - x0) * options_.margin));
    const int grow_y = static_cast<int>(std::ceil((y1 - y0) * options_.margin));
    const cv::Rect box =
        cv::Rect(cv::Point(x0 - grow_x, y0 - grow_y), cv::Point(x1 + grow_x, y1 + grow_y)) & whole;
    if (box.area() > 0) remember(box, at_ms);
  }
  if (!faces.empty()) {
    face_seen_ = true;
    last_face_ms_ = at_ms;
  }
  return faces.size();
}

void FaceMask::remember(cv::Rect box, std::int64_t at_ms) {
  // A face found again where it was: refresh its box rather than pile up copies. A face that moved
  // keeps its old boxes too until the hold ends, so the blur covers its path, not a guess of where
  // it is now (and two faces side by side are never mistaken for one).
  for (HeldBox& held : boxes_) {
    if (overlap_ratio(held.box, box) >= 0.9) {
      held = {box, at_ms};
      return;
    }
  }
  boxes_.push_back({box, at_ms});
}

void FaceMask::forget_all() {
  boxes_.clear();
  face_seen_ = false;
  clean_calls_ = 0;  // the whole picture stays blurred until a complete scan has run again
  try {
    detector_->reset();
  } catch (...) {  // nothing more to forget; the full blur above already holds
  }
}

bool FaceMask::scene_cut(const I420Frame& frame) {
  cv::Mat current;
  try {
    cv::resize(plane_of(frame, 0), current, cv::Size(32, 18), 0, 0, cv::INTER_AREA);
  } catch (...) {
    thumbnail_.release();
    return true;  // cannot tell: treat it as a cut
  }
  const bool cut =
      thumbnail_.size() == current.size() &&
      cv::norm(thumbnail_, current, cv::NORM_L1) / static_cast<double>(current.total()) >
          options_.scene_cut_level;
  thumbnail_ = current;
  return cut;
}

bool FaceMask::must_blur_everything(std::int64_t at_ms) const {
  // [000] 面具连线: until a whole scan has run cleanly the mask cannot say where the faces are;
  // with no face for a while, the co-host may have turned or the detector lost them.
  return clean_calls_ < calls_per_scan_ || !face_seen_ ||
         at_ms - last_face_ms_ > options_.full_blur_after_ms || boxes_.empty() ||
         boxes_.size() > static_cast<std::size_t>(options_.max_boxes);
}

FaceMaskStats FaceMask::stats() const {
  const std::lock_guard lock(stats_mutex_);
  return stats_;
}

}  // namespace veil::media
