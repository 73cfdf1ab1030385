#pragma once
// The masked co-host's face blur ([000] 面具连线): a masked co-host's face is never shown to anyone
// but the host. Every frame of a masked co-host that goes to viewers passes through
// FaceMask::apply, which blurs the faces it knows of — or the whole picture whenever it cannot
// vouch for where the faces are (before the first complete scan, a while after the last face was
// seen, after a detector error). Fail closed: a missed face is a leak, a blurred background is not.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "media/face_detector.hpp"
#include "util/result.hpp"

namespace veil::media {

// One raw frame in I420 (planar YUV 4:2:0) that the mask changes in place: Y at full size, U and V
// at half size rounded up (GStreamer's video frame mapping gives these three planes and strides).
struct I420Frame {
  std::uint8_t* planes[3] = {};
  int strides[3] = {};
  int width = 0;
  int height = 0;
};

struct FaceMaskOptions {
  // Frames taller than this are scaled down to it for detection (the blur is always at full size);
  // 0: detect at full size. At 640x360 this changes nothing. At 1280x720 it keeps detection at
  // the 640x360 cost, at the price of faces under 48 px (twice the cascade's 24 px window) not
  // being found; 0 finds them, but a full-size scan costs four times as much, which
  // HaarOptions::calls_per_scan would have to absorb.
  int detect_height = 360;
  // Each face box is grown by this fraction of its width/height on every side before blurring:
  // it covers the hair, ears and chin the cascade's box leaves out (they identify a person too),
  // a face that moves between scans, and the stock detector's habit of boxing a face well
  // off-centre for a frame (Megamind frame 90 with a 4-frame scan: 0.3 left a strip of such a
  // box sharp).
  double margin = 0.4;
  // A box stays blurred this long after the last scan that found it, so a face the detector misses
  // for a scan or two, or that is only scanned every few frames, stays covered. At least
  // full_blur_after_ms (see create()).
  std::int64_t hold_ms = 600;
  // No face found for this long: the whole picture is blurred until a face is found again. Longer
  // than one Haar scan (8 frames: 267 ms at 30 fps, 333 ms at 24), so a face the detector misses
  // once is found again before the picture goes blank; missed twice running, it does.
  std::int64_t full_blur_after_ms = 400;
  // Blur strength: a face box is averaged down to this many cells across its longer side and
  // smoothed back up; the whole picture to this many cells across its shorter side. With the
  // margin that leaves three or four cells across a face: its colour and place stay, its identity
  // goes.
  int box_cells = 6;
  int frame_cells = 6;
  // A scene cut (the mean luma of a 32x18 thumbnail changes by more than this between frames, out
  // of 255) forgets every box and blurs the whole picture until a complete scan has run: faces
  // found before the cut say nothing about where faces are after it. Megamind's cuts measure 30-37,
  // its ordinary frames under 6.
  double scene_cut_level = 16;
  // More boxes held than this at once (a crowd, or a detector gone wrong): blur the whole picture.
  int max_boxes = 64;
};

struct FaceMaskStats {
  std::uint64_t frames = 0;           // frames seen by apply()
  std::uint64_t fully_blurred = 0;    // of those, blurred entirely (fail closed)
  std::uint64_t detections = 0;       // faces reported by the detector
  std::uint64_t detector_errors = 0;  // detect() calls that threw
};

class FaceMask {
 public:
  // Refuses options under which a face could go unblurred (hold shorter than the full-blur delay,
  // no blur strength) with InvalidArgument.
  static Result<std::unique_ptr<FaceMask>> create(std::unique_ptr<FaceDetector> detector,
                                                  FaceMaskOptions options = {});

  // Blurs the face regions of `frame` in place, or all of it (fail closed). `at_ms`: the frame's
  // stream time in ms; a jump backwards (a new segment) forgets every box. Called from one
  // streaming thread at a time. Should anything fail while blurring, the frame is painted flat
  // grey. A frame with a missing plane, a stride shorter than its plane or no pixels is left
  // alone: there is no picture in it to show.
  void apply(const I420Frame& frame, std::int64_t at_ms) noexcept;

  FaceMaskStats stats() const;  // thread-safe

 private:
  struct HeldBox {
    cv::Rect box;  // full-frame coordinates, margin included
    std::int64_t seen_ms;
  };

  struct Outcome {
    std::optional<std::size_t> found;  // faces the detector reported; empty: it threw
    bool everything = true;            // the whole picture was blurred
  };

  FaceMask(std::unique_ptr<FaceDetector> detector, FaceMaskOptions options);

  Outcome mask(const I420Frame& frame, std::int64_t at_ms);
  // Runs the detector on the frame's luma and holds what it found; how many faces, or nothing when
  // the detector threw (the frame must then be blurred entirely).
  std::optional<std::size_t> detect_faces(const I420Frame& frame, std::int64_t at_ms);
  void remember(cv::Rect box, std::int64_t at_ms);
  void forget_all();
  bool must_blur_everything(std::int64_t at_ms) const;
  bool scene_cut(const I420Frame& frame);

  std::unique_ptr<FaceDetector> detector_;
  FaceMaskOptions options_;
  int calls_per_scan_;  // the detector's, at least 1

  // State of the streaming thread that calls apply(); not shared.
  std::vector<HeldBox> boxes_;
  std::int64_t last_face_ms_ = 0;
  bool face_seen_ = false;
  int clean_calls_ = 0;  // detect() calls in a row without an error since the last reset
  std::int64_t last_at_ms_ = 0;
  cv::Size frame_size_;
  cv::Mat reduced_;    // the detection picture when frames are taller than detect_height
  cv::Mat thumbnail_;  // the previous frame's luma, 32x18, for scene_cut()

  mutable std::mutex stats_mutex_;
  FaceMaskStats stats_;  // guarded by stats_mutex_
};

}  // namespace veil::media
