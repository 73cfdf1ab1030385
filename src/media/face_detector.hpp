#pragma once
// Finding faces for the masked co-host ([000] 面具连线): the interface FaceMask asks, and the Haar
// cascade that answers it in production. Tests inject doubles (one that finds nothing, one that
// throws) to prove the mask fails closed.
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace veil::media {

class FaceDetector {
 public:
  virtual ~FaceDetector() = default;

  // Faces in `grey` (8-bit, one channel), in its pixel coordinates. May throw: FaceMask catches
  // everything and blurs the whole picture.
  virtual std::vector<cv::Rect> detect(const cv::Mat& grey) = 0;

  // How many consecutive detect() calls make one scan for faces of every size. A detector that
  // spreads its work over frames (the Haar one does, see HaarOptions::calls_per_scan) may not
  // have looked for a face of some size yet, so FaceMask keeps the whole picture blurred until
  // that many calls in a row have run without an error.
  virtual int calls_per_scan() const { return 1; }

  // Forget everything learnt from earlier pictures: FaceMask calls it on a scene cut, a jump back
  // in time or new frame dimensions.
  virtual void reset() {}
};

// Debian's opencv-data package.
inline constexpr const char* kFrontalFaceCascade =
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

struct HaarOptions {
  std::string cascade_path = kFrontalFaceCascade;
  // OpenCV's defaults for detectMultiScale (scale step 1.1, no minimum size), because the mask
  // must find every face the stock detector finds; raising the minimum size misses small faces
  // (Messi's 44 px face in messi5.jpg at 640x360), a leak.
  double scale_factor = 1.1;
  int min_neighbors = 3;
  // One full scan of all face sizes is spread over this many calls (frames): each call scans one
  // band of window sizes, the bands chosen to cost about the same. On one core a full scan of a
  // busy 640x360 picture costs more than a 30 fps frame may (bench/face_mask_bench.cpp); a share
  // of it does not. Larger: cheaper frames, but a face that appears beside one already masked is
  // found up to this many frames late. 1: every call scans everything.
  int calls_per_scan = 8;
  // The largest windows, up to this share of a full scan's cost, are scanned on every call rather
  // than in turn: there are few of them (at 640x360, 0.05 is the windows of 146 px and up), and
  // they are the close-ups, where a face found a few frames late would show the most.
  double every_call_share = 0.05;
  // Every call also looks again around each face the previous call found — a region grown by
  // track_reach times the face's size on every side, for faces between 1/track_size_change and
  // track_size_change times its size — so a known face is found on every frame as it moves.
  double track_reach = 0.25;
  double track_size_change = 1.25;
};

// Loads the cascade; the error names the file when it is missing or not a cascade.
Result<std::unique_ptr<FaceDetector>> make_haar_face_detector(HaarOptions options = {});

}  // namespace veil::media
