#pragma once
// A WebRTC publisher whose every frame carries its capture counter (frame_code.hpp): a live
// 640x360 30 fps test picture (a moving ball, so the encoder has work), stamped in a pad probe right
// after the source produced it — the moment taken as "capture" — then H.264 (x264 ultrafast,
// zerolatency, as a browser's low-latency encoder) and RTP into a send-only webrtcbin. Records each
// counter's capture time in a CaptureLog.
#include <gst/gst.h>

#include <atomic>
#include <memory>
#include <string>

#include "capture_log.hpp"
#include "media/gst_support.hpp"
#include "util/result.hpp"

namespace veil::bench::media {

class StampedPublisher {
 public:
  // `local_addresses`: where its ICE gathers (empty: libnice's default, every interface).
  // `pattern`: videotestsrc's picture — "ball" (cheap to encode) or "snow" (noise: every encoder
  // on the way spends its whole bitrate, as a busy camera picture makes it).
  static Result<std::unique_ptr<StampedPublisher>> create(CaptureLog& log, std::vector<std::string> local_addresses = {"127.0.0.1"},
                                                          const std::string& pattern = "ball");
  ~StampedPublisher();
  StampedPublisher(const StampedPublisher&) = delete;
  StampedPublisher& operator=(const StampedPublisher&) = delete;

  Result<std::string> offer();  // send-only H.264, every candidate included
  Status accept_answer(const std::string& answer_sdp);
  int frames_stamped() const { return stamped_.load(); }

 private:
  explicit StampedPublisher(CaptureLog& log) : log_(log) {}
  static GstPadProbeReturn on_frame(GstPad* pad, GstPadProbeInfo* info, gpointer self);

  CaptureLog& log_;
  veil::media::GstRef<GstElement> pipeline_;
  GstElement* webrtcbin_ = nullptr;  // owned by pipeline_
  std::atomic<int> stamped_{0};
  int width_ = 640, height_ = 360;
};

}  // namespace veil::bench::media
