#include "media/face_detector.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <opencv2/objdetect.hpp>

namespace veil::media {

namespace {

// detectMultiScale's minSize..maxSize for one part of the scan; max < min: nothing to scan.
struct Band {
  cv::Size min_size;
  cv::Size max_size;
};

// How one full scan is shared out: the largest windows (few, so cheap) on every call, the rest in
// `rotating` bands of consecutive scales, one band per call.
struct ScanPlan {
  Band every_call;
  std::vector<Band> rotating;
};

// The scale factors detectMultiScale tries on an image of `image` size, smallest first, computed
// the way OpenCV 4.6 does (cascadedetect.cpp: grow by scale_factor while the window fits).
std::vector<double> pyramid_factors(cv::Size image, cv::Size window, double scale_factor) {
  std::vector<double> factors;
  for (double factor = 1;; factor *= scale_factor) {
    const cv::Size size(cvRound(window.width * factor), cvRound(window.height * factor));
    if (size.width > image.width || size.height > image.height) break;
    factors.push_back(factor);
  }
  return factors;
}

// What one scale costs, roughly: the windows it evaluates times what a window costs. OpenCV
// shrinks the image by `factor` and slides the window in steps of 2 pixels, or of 1 once the
// factor passes 2 — so the windows just above 48 px cost as much as the smallest ones. A window on
// a more shrunken picture passes more cascade stages on average; the power fits the times measured
// per scale on messi5 at 640x360 (0.21 us a window at factor 1.1, 0.52 from factor 3.5 up) within
// about 10 %.
double scale_cost(cv::Size image, cv::Size window, double factor) {
  const int step = factor > 2. ? 1 : 2;
  const int width = std::max(cvRound(image.width / factor) - window.width, 0);
  const int height = std::max(cvRound(image.height / factor) - window.height, 0);
  return (width / step + 1.0) * (height / step + 1.0) * std::pow(std::min(factor, 3.5), 0.8);
}

// Cuts costs[0, n) into at most `count` runs of consecutive scales so that the dearest run is as
// cheap as it can be — the frame that scans it sets the worst frame time. The classic linear
// partition by dynamic programming (n is a few dozen scales); returns each run's last index.
std::vector<int> cut_evenly(const std::vector<double>& costs, int count) {
  const int n = static_cast<int>(costs.size());
  count = std::min(count, n);
  std::vector<double> prefix(costs.size() + 1, 0.0);
  for (std::size_t i = 0; i < costs.size(); ++i) prefix[i + 1] = prefix[i] + costs[i];
  // worst[b][i]: the dearest run when the first i scales are cut into b runs; start[b][i]: where
  // the last of those runs starts.
  const auto rows = static_cast<std::size_t>(count) + 1;
  const auto columns = costs.size() + 1;
  std::vector<std::vector<double>> worst(
      rows, std::vector<double>(columns, std::numeric_limits<double>::infinity()));
  std::vector<std::vector<std::size_t>> start(rows, std::vector<std::size_t>(columns, 0));
  worst[0][0] = 0;
  for (std::size_t b = 1; b < rows; ++b) {
    for (std::size_t i = b; i < columns; ++i) {
      for (std::size_t j = b - 1; j < i; ++j) {
        const double dearest = std::max(worst[b - 1][j], prefix[i] - prefix[j]);
        if (dearest < worst[b][i]) {
          worst[b][i] = dearest;
          start[b][i] = j;
        }
      }
    }
  }
  std::vector<int> ends;
  for (std::size_t b = rows - 1, i = columns - 1; b > 0; i = start[b][i], --b) {
    ends.push_back(static_cast<int>(i) - 1);
  }
  std::reverse(ends.begin(), ends.end());
  return ends;
}

// Splits the pyramid: the largest windows costing at most every_call_share of the total go in
// every call; the smaller ones are cut into at most calls_per_scan bands of consecutive scales, as
// evenly as whole scales allow. Together the bands hold every scale exactly once. The limits sit
// one pixel outside the band's own window sizes because OpenCV recomputes the sizes from float
// factors and may round them one pixel apart; neighbouring sizes are at least 2 px apart (24 *
// 0.1), so no other scale slips in.
ScanPlan plan_scan(cv::Size image, cv::Size window, const HaarOptions& options) {
  const Band nothing{image, cv::Size(0, 0)};
  const std::vector<double> factors = pyramid_factors(image, window, options.scale_factor);
  if (factors.empty()) return {nothing, {}};  // smaller than the window: no face can be found
  const int last = static_cast<int>(factors.size()) - 1;
  std::vector<double> costs;
  double total = 0;
  for (double factor : factors) total += costs.emplace_back(scale_cost(image, window, factor));
  auto cost_at = [&](int index) { return costs[static_cast<std::size_t>(index)]; };

  auto size_at = [&](int index, int pad) {
    const double factor = factors[static_cast<std::size_t>(std::clamp(index, 0, last))];
    return cv::Size(cvRound(window.width * factor) + pad, cvRound(window.height * factor) + pad);
  };
  auto band = [&](int first, int end) {  // scales [first, end]
    return Band{first == 0 ? cv::Size() : size_at(first, -1),
                end == last ? image : size_at(end, +1)};
  };

  int split = last + 1;  // scales [split, last] go in every call
  double every_call_cost = 0;
  while (split > 0 && every_call_cost + cost_at(split - 1) <= options.every_call_share * total) {
    every_call_cost += cost_at(--split);
  }
  ScanPlan plan{split <= last ? band(split, last) : nothing, {}};

  const std::vector<double> rest(costs.begin(), costs.begin() + split);
  int first = 0;
  for (int end : cut_evenly(rest, options.calls_per_scan)) {
    plan.rotating.push_back(band(first, end));
    first = end + 1;
  }
  return plan;
}

bool same_face(const cv::Rect& a, const cv::Rect& b) {
  const double shared = (a & b).area();
  return shared >= 0.5 * (a.area() + b.area() - shared);
}

// detectMultiScale's own grouping tolerance (cascadedetect.cpp, GROUP_EPS).
constexpr double kGroupEps = 0.2;

// The stock detector, spread over calls. detectMultiScale finds raw hits (windows the cascade
// accepts) at every scale and then groups them: a face is a cluster of more than min_neighbors
// similar hits, usually from several neighbouring scales. Grouping each band on its own would lose
// a face whose hits straddle a band edge, so each call keeps the raw hits of the band it scanned
// and groups the latest hits of all bands together. On a still picture that is exactly what the
// stock detector finds once every band has run; on a moving one, hits up to calls_per_scan - 1
// frames old join the fresh ones, and the re-scan around known faces keeps up with movement.
class HaarFaceDetector final : public FaceDetector {
 public:
  HaarFaceDetector(cv::CascadeClassifier cascade, HaarOptions options)
      : cascade_(std::move(cascade)), options_(std::move(options)) {}

  std::vector<cv::Rect> detect(const cv::Mat& grey) override {
    if (grey.size() != planned_for_) {
      plan_ = plan_scan(grey.size(), cascade_.getOriginalWindowSize(), options_);
      planned_for_ = grey.size();
      reset();
    }
    std::vector<cv::Rect> faces = raw_hits(grey, plan_.every_call, 0);
    if (!plan_.rotating.empty()) {
      band_hits_[next_band_] = raw_hits(grey, plan_.rotating[next_band_], 0);
      next_band_ = (next_band_ + 1) % plan_.rotating.size();
    }
    for (const std::vector<cv::Rect>& hits : band_hits_) append(faces, hits);
    cv::groupRectangles(faces, options_.min_neighbors, kGroupEps);

    for (const cv::Rect& face : tracked_) append(faces, rescan_near(grey, face));
    tracked_.clear();
    for (const cv::Rect& face : faces) {
      const bool known = std::any_of(tracked_.begin(), tracked_.end(),
                                     [&](const cv::Rect& t) { return same_face(t, face); });
      if (!known && tracked_.size() < kMaxTracked) tracked_.push_back(face);
    }
    return faces;
  }

  int calls_per_scan() const override { return options_.calls_per_scan; }

  void reset() override {
    next_band_ = 0;
    band_hits_.assign(plan_.rotating.size(), {});
    tracked_.clear();
  }

 private:
  // A crowd (messi5's stands) must not make every frame slow; beyond this many faces the rotating
  // scan still finds the others once per scan.
  static constexpr std::size_t kMaxTracked = 8;

  static void append(std::vector<cv::Rect>& to, const std::vector<cv::Rect>& more) {
    to.insert(to.end(), more.begin(), more.end());
  }

  // detectMultiScale over `band`; min_neighbors 0 returns the raw hits ungrouped.
  std::vector<cv::Rect> raw_hits(const cv::Mat& grey, const Band& band, int min_neighbors) {
    std::vector<cv::Rect> hits;
    if (band.max_size.width < band.min_size.width) return hits;
    cascade_.detectMultiScale(grey, hits, options_.scale_factor, min_neighbors, 0, band.min_size,
                              band.max_size);
    return hits;
  }

  // Looks again, at every call, around a face the last call found, for faces of about its size:
  // a known face is then found on every frame wherever it moves, not only by the grouping of
  // hits of different ages, and a miss does not start the full blur. Cheap: a small region and
  // few scales.
  std::vector<cv::Rect> rescan_near(const cv::Mat& grey, const cv::Rect& face) {
    const int reach_x = cvRound(face.width * options_.track_reach);
    const int reach_y = cvRound(face.height * options_.track_reach);
    const cv::Rect region = cv::Rect(face.x - reach_x, face.y - reach_y, face.width + 2 * reach_x,
                                     face.height + 2 * reach_y) &
                            cv::Rect(0, 0, grey.cols, grey.rows);
    const cv::Size window = cascade_.getOriginalWindowSize();
    if (region.width < window.width || region.height < window.height) return {};
    const double change = options_.track_size_change;
    const Band band{cv::Size(cvRound(face.width / change), cvRound(face.height / change)),
                    cv::Size(cvRound(face.width * change), cvRound(face.height * change))};
    std::vector<cv::Rect> found = raw_hits(grey(region), band, options_.min_neighbors);
    for (cv::Rect& r : found) r += region.tl();
    return found;
  }

  cv::CascadeClassifier cascade_;
  HaarOptions options_;
  cv::Size planned_for_;
  ScanPlan plan_;
  std::size_t next_band_ = 0;
  std::vector<std::vector<cv::Rect>> band_hits_;  // per rotating band, its latest raw hits
  std::vector<cv::Rect> tracked_;                 // distinct faces the previous call found
};

}  // namespace

Result<std::unique_ptr<FaceDetector>> make_haar_face_detector(HaarOptions options) {
  if (!(options.scale_factor > 1.0) || options.min_neighbors < 0 || options.calls_per_scan < 1 ||
      !(options.every_call_share >= 0) || options.every_call_share > 1 ||
      !(options.track_reach >= 0) || !(options.track_size_change >= 1)) {
    return Error::invalid("face_detector_options",
                          "need scale_factor > 1, min_neighbors >= 0, calls_per_scan >= 1, "
                          "every_call_share in [0, 1], track_reach >= 0, "
                          "track_size_change >= 1");
  }
  cv::CascadeClassifier cascade;
  try {
    if (!cascade.load(options.cascade_path) || cascade.empty()) {
      return Error::internal("cannot load the face cascade " + options.cascade_path +
                             " (package opencv-data)");
    }
  } catch (const std::exception& e) {  // cv::Exception on a file that is not a cascade
    return Error::internal("cannot load the face cascade " + options.cascade_path + ": " +
                           e.what());
  }
  return std::unique_ptr<FaceDetector>(
      std::make_unique<HaarFaceDetector>(std::move(cascade), std::move(options)));
}

}  // namespace veil::media
