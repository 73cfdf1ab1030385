#include "hls_player.hpp"

#include <gst/app/gstappsink.h>

#include <chrono>
#include <fstream>
#include <vector>

#include "media/gst_support.hpp"

namespace veil::bench::media {

namespace {

struct Playlist {
  std::vector<std::string> segments;
  double target_duration = 1;
};

Playlist read_playlist(const std::filesystem::path& file) {
  Playlist p;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("#EXT-X-TARGETDURATION:", 0) == 0) p.target_duration = std::stod(line.substr(22));
    else if (!line.empty() && line[0] != '#') p.segments.push_back(line);
  }
  return p;
}

}  // namespace

HlsPlayer::HlsPlayer(std::filesystem::path dir, int sync_count, const CaptureLog& log, LatencySamples& edge, LatencySamples& played)
    : dir_(std::move(dir)), sync_count_(static_cast<std::size_t>(sync_count)), reader_(log), edge_(edge), played_(played) {
  thread_ = std::thread([this] { run(); });
}

HlsPlayer::~HlsPlayer() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void HlsPlayer::run() {
  bool started = false;
  while (!stopping_) {
    const Playlist playlist = read_playlist(dir_ / "index.m3u8");
    bool new_segment = false;
    if (!started && playlist.segments.size() >= sync_count_) {
      // hls.js's start: liveSyncDurationCount target durations behind the live edge.
      for (std::size_t i = playlist.segments.size() - sync_count_; i < playlist.segments.size(); ++i) {
        fetched_.insert(playlist.segments[i]);
        play_segment(dir_ / playlist.segments[i], true);
      }
      started = new_segment = true;
    } else if (started) {
      for (const auto& name : playlist.segments) {
        if (!fetched_.insert(name).second) continue;
        play_segment(dir_ / name, false);
        new_segment = true;
      }
    }
    const double wait_s = new_segment ? playlist.target_duration : playlist.target_duration / 2;
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_s);
    while (!stopping_ && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void HlsPlayer::play_segment(const std::filesystem::path& file, bool at_start) {
  auto pipeline = veil::media::parse_pipeline("filesrc location=\"" + file.string() +
                                              "\" ! tsdemux ! h264parse ! avdec_h264 max-threads=1 ! videoconvert ! "
                                              "video/x-raw,format=I420 ! appsink name=frames sync=false");
  if (!pipeline.ok()) return;
  veil::media::GstRef<GstElement> owned(*pipeline);
  veil::media::GstRef<GstElement> sink(gst_bin_get_by_name(GST_BIN(owned.get()), "frames"));
  gst_element_set_state(owned.get(), GST_STATE_PLAYING);
  segments_.fetch_add(1);
  while (GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink.get()), 5 * GST_SECOND)) {
    const std::int64_t now = monotonic_ns();
    if (auto seen = reader_.decoded(sample)) {
      const std::int64_t behind = now - seen->captured_ns;
      if (!at_start) edge_.add(static_cast<double>(behind) / 1e6);
      if (offset_ns_ < 0) offset_ns_ = behind;  // playback starts with the first decoded frame
      if (behind > offset_ns_) {                // decoded after its moment: the player waited
        offset_ns_ = behind;
        rebuffers_.fetch_add(1);
      }
      played_.add(static_cast<double>(offset_ns_) / 1e6);
    }
    gst_sample_unref(sample);
  }
  gst_element_set_state(owned.get(), GST_STATE_NULL);
}

}  // namespace veil::bench::media
