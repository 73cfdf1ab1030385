#include "media/support/media_probe.hpp"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <cmath>
#include <fstream>
#include <thread>

#include "media/gst_support.hpp"

namespace veil::test {

namespace {

double mean(const std::vector<std::uint8_t>& plane, int stride, int x, int y0, int w, int h) {
  double sum = 0;
  for (int r = y0; r < y0 + h; ++r) {
    for (int c = x; c < x + w; ++c) sum += plane[static_cast<std::size_t>(r * stride + c)];
  }
  return w * h > 0 ? sum / (w * h) : 0;
}

// Runs `description` (which ends in an appsink named "out") to the end and hands each sample over.
template <class F>
Status pull_all(const std::string& description, F&& on_sample) {
  VEIL_TRY(media::ensure_gstreamer());
  GstElement* pipeline = VEIL_TRY(media::parse_pipeline(description));
  media::GstRef<GstElement> owned(pipeline);
  media::GstRef<GstElement> sink(gst_bin_get_by_name(GST_BIN(pipeline), "out"));
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  bool more = true;
  while (more) {
    GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink.get()), 10 * GST_SECOND);
    if (sample == nullptr) break;
    more = on_sample(sample);
    gst_sample_unref(sample);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  return {};
}

}  // namespace

double Picture::mean_y(int x, int y0, int w, int h) const { return mean(y, width, x, y0, w, h); }
double Picture::mean_u(int x, int y0, int w, int h) const { return mean(u, width / 2, x / 2, y0 / 2, w / 2, h / 2); }
double Picture::mean_v(int x, int y0, int w, int h) const { return mean(v, width / 2, x / 2, y0 / 2, w / 2, h / 2); }

Result<std::vector<Picture>> decode_video(const std::filesystem::path& file, int max_frames) {
  std::vector<Picture> pictures;
  VEIL_TRY(pull_all("filesrc location=" + file.string() + " ! decodebin ! videoconvert ! video/x-raw,format=I420 ! "
                    "appsink name=out sync=false",
                    [&](GstSample* sample) {
                      GstVideoInfo info;
                      gst_video_info_from_caps(&info, gst_sample_get_caps(sample));
                      GstVideoFrame frame;
                      if (!gst_video_frame_map(&frame, &info, gst_sample_get_buffer(sample), GST_MAP_READ)) return true;
                      Picture p;
                      p.width = GST_VIDEO_FRAME_WIDTH(&frame);
                      p.height = GST_VIDEO_FRAME_HEIGHT(&frame);
                      std::vector<std::uint8_t>* planes[3] = {&p.y, &p.u, &p.v};
                      for (int plane = 0; plane < 3; ++plane) {
                        int w = plane == 0 ? p.width : p.width / 2, h = plane == 0 ? p.height : p.height / 2;
                        auto* data = static_cast<const std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, plane));
                        int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, plane);
                        for (int r = 0; r < h; ++r) planes[plane]->insert(planes[plane]->end(), data + r * stride, data + r * stride + w);
                      }
                      gst_video_frame_unmap(&frame);
                      pictures.push_back(std::move(p));
                      return max_frames <= 0 || static_cast<int>(pictures.size()) < max_frames;
                    }));
  if (pictures.empty()) return Error::internal("no video frames decoded from " + file.filename().string());
  return pictures;
}

Result<double> audio_rms(const std::filesystem::path& file) {
  double sum = 0;
  std::size_t count = 0;
  VEIL_TRY(pull_all("filesrc location=" + file.string() + " ! decodebin ! audioconvert ! audio/x-raw,format=S16LE ! "
                    "appsink name=out sync=false",
                    [&](GstSample* sample) {
                      GstMapInfo map;
                      GstBuffer* buffer = gst_sample_get_buffer(sample);
                      if (!gst_buffer_map(buffer, &map, GST_MAP_READ)) return true;
                      auto* samples = reinterpret_cast<const std::int16_t*>(map.data);
                      for (std::size_t i = 0; i < map.size / 2; ++i) sum += double(samples[i]) * samples[i];
                      count += map.size / 2;
                      gst_buffer_unmap(buffer, &map);
                      return true;
                    }));
  if (count == 0) return Error::internal("no sound decoded from " + file.filename().string());
  return std::sqrt(sum / static_cast<double>(count)) / 32768.0;
}

std::vector<std::string> listed_segments(const std::filesystem::path& playlist) {
  std::vector<std::string> names;
  std::ifstream in(playlist);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') names.push_back(line);
  }
  return names;
}

Result<std::filesystem::path> next_whole_segment(const std::filesystem::path& hls_dir, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto listed = listed_segments(hls_dir / "index.m3u8");
  // The segment being written now is the one after the last listed; the one after that starts later.
  std::string last = listed.empty() ? "" : listed.back();
  std::size_t seen_after = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    auto now = listed_segments(hls_dir / "index.m3u8");
    seen_after = 0;
    bool past_last = last.empty();
    for (const auto& name : now) {
      if (past_last) ++seen_after;
      if (name == last) past_last = true;
    }
    if (seen_after >= 2) return hls_dir / now.back();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Error::internal("no new HLS segment in time");
}

}  // namespace veil::test
