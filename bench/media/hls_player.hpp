#pragma once
// An HLS player for the glass-to-glass benchmark, reading a live room's playlist and segments the
// way a player does, from the folder hlssink2 writes (no HTTP: Veil's segment route adds well
// under a millisecond on loopback, see "HLS segment requests" in docs/benchmarks.md).
//
// What it does, exactly:
// - Reloads index.m3u8 on hls.js's live rule: one target duration after a load that listed a new
//   segment, half of one after a load that did not.
// - At its first load it takes the last `sync_count` listed segments (hls.js starts
//   `liveSyncDurationCount` target durations behind the live edge: 3 by default, 2 in Veil's
//   LivePlayer.tsx); after that, every newly listed segment, once. hls.js's catch-up
//   (`liveMaxLatencyDurationCount`) is not modelled: it never triggered in these runs' offsets.
// - Decodes each segment as soon as it is read (tsdemux, h264parse, avdec_h264 in a pipeline of
//   its own, to the end of the file) and reads each frame's counter.
// Two figures per frame:
// - `edge`: decode time − capture time, for segments that appeared after the start: what a player
//   that shows a segment the moment it can would show (the floor HLS allows).
// - `played`: what a player showing frames on a real-time clock from hls.js's starting point shows:
//   the first frame of the first segment is shown when it is decoded, every later frame at its
//   capture time plus that same offset, or — when it is decoded after that moment — when it is
//   decoded, and the offset grows by the wait (a rebuffer, counted).
#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "capture_log.hpp"
#include "stamp_reader.hpp"

namespace veil::bench::media {

class HlsPlayer {
 public:
  HlsPlayer(std::filesystem::path dir, int sync_count, const CaptureLog& log, LatencySamples& edge, LatencySamples& played);
  ~HlsPlayer();  // stops its thread
  HlsPlayer(const HlsPlayer&) = delete;
  HlsPlayer& operator=(const HlsPlayer&) = delete;

  int segments() const { return segments_.load(); }
  int rebuffers() const { return rebuffers_.load(); }
  int unreadable() const { return reader_.unreadable(); }

 private:
  void run();
  void play_segment(const std::filesystem::path& file, bool at_start);

  const std::filesystem::path dir_;
  const std::size_t sync_count_;
  StampReader reader_;
  LatencySamples& edge_;
  LatencySamples& played_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> segments_{0}, rebuffers_{0};
  std::set<std::string> fetched_;
  std::int64_t offset_ns_ = -1;  // played: shown = capture + offset_ns_; -1 before the first frame
  std::thread thread_;
};

}  // namespace veil::bench::media
