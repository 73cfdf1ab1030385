#pragma once
// A WebRTC viewer that answers Janus's offer (the server-offer WHEP exchange Veil's player uses),
// decodes the H.264 it receives as soon as it arrives and reads each frame's counter: latency =
// the moment the decoder hands the frame over − its capture time. No renderer, no display clock:
// a browser would paint the frame at its next vsync (0–16.7 ms later at 60 Hz), not included.
//
// Its jitter buffer (webrtcbin's `latency`) is a parameter: GStreamer's default is 200 ms, while a
// browser adapts its own to the jitter it sees (tens of ms on a clean link).
#include <gst/gst.h>

#include <memory>
#include <string>
#include <vector>

#include "capture_log.hpp"
#include "media/gst_support.hpp"
#include "stamp_reader.hpp"
#include "util/result.hpp"

namespace veil::bench::media {

class StampedViewer {
 public:
  static Result<std::unique_ptr<StampedViewer>> create(const CaptureLog& log, LatencySamples& samples, std::string local_address,
                                                       unsigned jitter_buffer_ms);
  ~StampedViewer();
  StampedViewer(const StampedViewer&) = delete;
  StampedViewer& operator=(const StampedViewer&) = delete;

  Result<std::string> answer(const std::string& offer_sdp);  // candidates included
  int frames() const { return frames_.load(); }
  int unreadable() const { return reader_.unreadable(); }
  std::string state() const;  // ICE and connection states, streams linked: for a failed run's message

 private:
  StampedViewer(const CaptureLog& log, LatencySamples& samples) : reader_(log), samples_(samples) {}
  static void on_pad_added(GstElement* webrtcbin, GstPad* pad, StampedViewer* self);
  static GstFlowReturn on_sample(GstElement* appsink, StampedViewer* self);

  StampReader reader_;
  LatencySamples& samples_;
  veil::media::GstRef<GstElement> pipeline_;
  GstElement* webrtcbin_ = nullptr;
  std::atomic<int> frames_{0};
  std::atomic<int> streams_{0};
};

}  // namespace veil::bench::media
