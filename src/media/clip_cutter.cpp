#include "media/clip_cutter.hpp"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <vector>

#include "media/gst_support.hpp"
#include "media/recording_branch.hpp"

namespace veil::media {

namespace {

// A key frame this close before the asked start still counts as "at" it: timestamps are rounded
// to the 90 kHz clock and playlist durations to the millisecond.
constexpr GstClockTime kKeyFrameSlack = 50 * GST_MSECOND;
constexpr auto kCutTimeout = std::chrono::seconds(60);

Error cut_failed(std::string detail) {
  return Error{ErrorCode::Internal, "clip_cut_failed", std::move(detail)};
}

// Which buffers the clip keeps. Times are counted from the first covering segment's first video
// frame, which sits at `base_ms` on the recording's timeline.
struct Trim {
  std::mutex mutex;  // the demuxer's thread, normally alone; guards everything below
  GstClockTime start_offset = 0, end_offset = 0;
  GstClockTime first_pts = GST_CLOCK_TIME_NONE;
  GstClockTime video_start = GST_CLOCK_TIME_NONE;  // the key frame the clip starts on
  GstClockTime video_end = 0;
};

GstPadProbeReturn trim_video(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto& trim = *static_cast<Trim*>(data);
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  GstClockTime pts = GST_BUFFER_PTS(buffer);
  if (!GST_CLOCK_TIME_IS_VALID(pts)) return GST_PAD_PROBE_DROP;
  std::lock_guard lock(trim.mutex);
  if (!GST_CLOCK_TIME_IS_VALID(trim.first_pts)) trim.first_pts = pts;
  if (pts < trim.first_pts) return GST_PAD_PROBE_DROP;
  GstClockTime at = pts - trim.first_pts;
  if (!GST_CLOCK_TIME_IS_VALID(trim.video_start)) {
    // Frames before a key frame cannot be decoded: the clip opens on one.
    bool key = !GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT);
    if (!key || at + kKeyFrameSlack < trim.start_offset) return GST_PAD_PROBE_DROP;
    trim.video_start = pts;
  }
  if (at >= trim.end_offset) return GST_PAD_PROBE_DROP;
  GstClockTime duration = GST_BUFFER_DURATION(buffer);
  trim.video_end = std::max(trim.video_end, pts + (GST_CLOCK_TIME_IS_VALID(duration) ? duration : 0));
  return GST_PAD_PROBE_OK;
}

// Sound from the clip's first picture to its end.
GstPadProbeReturn trim_audio(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto& trim = *static_cast<Trim*>(data);
  GstClockTime pts = GST_BUFFER_PTS(GST_PAD_PROBE_INFO_BUFFER(info));
  std::lock_guard lock(trim.mutex);
  if (!GST_CLOCK_TIME_IS_VALID(pts) || !GST_CLOCK_TIME_IS_VALID(trim.video_start) || pts < trim.video_start)
    return GST_PAD_PROBE_DROP;
  if (pts - trim.first_pts >= trim.end_offset) return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

struct Cut {
  GstElement* pipeline = nullptr;
  GstElement* mux = nullptr;  // null: a survey, which only notes where the key frames are
  Trim trim;
  std::vector<GstClockTime> key_frames;  // a survey's: from the first frame, in order
};

// The survey before the cut: where each key frame is, so the clip can open on the last one at or
// before the asked start and hold all of what was asked for.
GstPadProbeReturn note_key_frame(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto& cut = *static_cast<Cut*>(data);
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  GstClockTime pts = GST_BUFFER_PTS(buffer);
  if (!GST_CLOCK_TIME_IS_VALID(pts)) return GST_PAD_PROBE_OK;
  std::lock_guard lock(cut.trim.mutex);
  if (!GST_CLOCK_TIME_IS_VALID(cut.trim.first_pts)) cut.trim.first_pts = pts;
  if (pts >= cut.trim.first_pts && !GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT))
    cut.key_frames.push_back(pts - cut.trim.first_pts);
  return GST_PAD_PROBE_OK;
}

// tsdemux names its streams as it finds them: H.264 and AAC go on to the muxer through their
// parsers (where they are trimmed); anything else is dropped.
void on_stream_found(GstElement*, GstPad* pad, gpointer data) {
  auto& cut = *static_cast<Cut*>(data);
  CapsRef caps(gst_pad_query_caps(pad, nullptr));
  std::string kind = gst_caps_get_size(caps.get()) > 0 ? gst_structure_get_name(gst_caps_get_structure(caps.get(), 0)) : "";
  bool video = kind == "video/x-h264", audio = kind == "audio/mpeg";
  GstBin* bin = GST_BIN(cut.pipeline);
  if (cut.mux == nullptr && video) {
    auto parse = make_element("h264parse");
    auto sink = make_element("fakesink");
    if (!parse.ok() || !sink.ok()) return;
    // As fast as it demuxes, and no preroll: tsdemux feeds every stream from one thread, so a sink
    // waiting to preroll would hold the others back for ever.
    g_object_set(*sink, "sync", FALSE, "async", FALSE, nullptr);
    gst_bin_add_many(bin, *parse, *sink, nullptr);
    GstRef<GstPad> parse_out(gst_element_get_static_pad(*parse, "src"));
    gst_pad_add_probe(parse_out.get(), GST_PAD_PROBE_TYPE_BUFFER, &note_key_frame, &cut, nullptr);
    if (!gst_element_link(*parse, *sink)) return;
    gst_element_sync_state_with_parent(*sink);
    gst_element_sync_state_with_parent(*parse);
    GstRef<GstPad> parse_in(gst_element_get_static_pad(*parse, "sink"));
    gst_pad_link(pad, parse_in.get());
    return;
  }
  if ((!video && !audio) || cut.mux == nullptr) {
    GstElement* sink = make_element("fakesink").value();
    g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);  // as the survey's sinks
    gst_bin_add(bin, sink);
    gst_element_sync_state_with_parent(sink);
    GstRef<GstPad> sink_pad(gst_element_get_static_pad(sink, "sink"));
    gst_pad_link(pad, sink_pad.get());
    return;
  }
  auto parse = make_element(video ? "h264parse" : "aacparse");
  auto queue = make_element("queue");
  if (!parse.ok() || !queue.ok()) return;  // checked at start-up; the cut then ends without this stream
  gst_bin_add_many(bin, *parse, *queue, nullptr);
  GstRef<GstPad> mux_pad(gst_element_request_pad_simple(cut.mux, video ? "video_%u" : "audio_%u"));
  GstRef<GstPad> queue_out(gst_element_get_static_pad(*queue, "src"));
  GstRef<GstPad> parse_in(gst_element_get_static_pad(*parse, "sink"));
  GstRef<GstPad> parse_out(gst_element_get_static_pad(*parse, "src"));
  gst_pad_add_probe(parse_out.get(), GST_PAD_PROBE_TYPE_BUFFER, video ? &trim_video : &trim_audio, &cut.trim, nullptr);
  if (!mux_pad || gst_pad_link(queue_out.get(), mux_pad.get()) != GST_PAD_LINK_OK || !gst_element_link(*parse, *queue))
    return;
  gst_element_sync_state_with_parent(*queue);
  gst_element_sync_state_with_parent(*parse);
  gst_pad_link(pad, parse_in.get());
}

// A private folder for mp4mux's staged media data, in memory when the machine offers /dev/shm.
Result<std::filesystem::path> private_scratch_dir() {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0
                                   ? std::filesystem::path("/dev/shm")
                                   : std::filesystem::temp_directory_path(ec);
  std::string pattern = (base / "veil-clip-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return cut_failed("no scratch folder for the cut");
  return std::filesystem::path(pattern);  // mkdtemp makes it 0700
}

// The transport stream as one buffer that borrows `bytes` (which outlive the pipeline).
GstBuffer* borrowed_buffer(const std::string& bytes) {
  return gst_buffer_new_wrapped_full(GST_MEMORY_FLAG_READONLY, const_cast<char*>(bytes.data()), bytes.size(), 0,
                                     bytes.size(), nullptr, nullptr);
}

Error bus_error(GstMessage* m) {
  GError* error = nullptr;
  gst_message_parse_error(m, &error, nullptr);
  std::string detail = error != nullptr ? error->message : "unknown";
  if (error != nullptr) g_error_free(error);
  return cut_failed("the cut failed: " + detail);
}

// Demuxes the whole stream and notes its key frames in `cut.key_frames`.
Status survey(const std::string& transport_stream, Cut& cut) {
  GstBin* bin = GST_BIN(cut.pipeline);
  GstElement* src = VEIL_TRY(make_element("appsrc"));
  GstElement* demux = VEIL_TRY(make_element("tsdemux"));
  gst_bin_add_many(bin, src, demux, nullptr);
  g_object_set(src, "caps", caps_from_string("video/mpegts,systemstream=(boolean)true,packetsize=(int)188").get(),
               "format", GST_FORMAT_BYTES, nullptr);
  if (!gst_element_link(src, demux)) return cut_failed("cannot link the survey");
  g_signal_connect(demux, "pad-added", G_CALLBACK(&on_stream_found), &cut);
  if (gst_element_set_state(cut.pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    return cut_failed("the survey did not start");
  gst_app_src_push_buffer(GST_APP_SRC(src), borrowed_buffer(transport_stream));
  gst_app_src_end_of_stream(GST_APP_SRC(src));
  GstRef<GstBus> bus(gst_element_get_bus(cut.pipeline));
  GstMessage* m = gst_bus_timed_pop_filtered(bus.get(), std::chrono::duration_cast<std::chrono::nanoseconds>(kCutTimeout).count(),
                                             static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  if (m == nullptr) return cut_failed("the survey took too long");
  Status result;
  if (GST_MESSAGE_TYPE(m) == GST_MESSAGE_ERROR) result = bus_error(m);
  gst_message_unref(m);
  return result;
}

Result<std::string> remux(const std::string& transport_stream, Cut& cut, const std::filesystem::path& scratch) {
  GstBin* bin = GST_BIN(cut.pipeline);
  GstElement* src = VEIL_TRY(make_element("appsrc"));
  GstElement* demux = VEIL_TRY(make_element("tsdemux"));
  cut.mux = VEIL_TRY(make_element("mp4mux"));
  GstElement* sink = VEIL_TRY(make_element("appsink"));
  gst_bin_add_many(bin, src, demux, cut.mux, sink, nullptr);
  g_object_set(src, "caps", caps_from_string("video/mpegts,systemstream=(boolean)true,packetsize=(int)188").get(),
               "format", GST_FORMAT_BYTES, nullptr);
  // Headers first, so a browser plays the clip as it arrives; the media data waits in `scratch`.
  g_object_set(cut.mux, "faststart", TRUE, "faststart-file", (scratch / "mdat").c_str(), nullptr);
  g_object_set(sink, "sync", FALSE, nullptr);
  if (!gst_element_link(src, demux) || !gst_element_link(cut.mux, sink)) return cut_failed("cannot link the cut");
  g_signal_connect(demux, "pad-added", G_CALLBACK(&on_stream_found), &cut);
  if (gst_element_set_state(cut.pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    return cut_failed("the cut did not start");

  gst_app_src_push_buffer(GST_APP_SRC(src), borrowed_buffer(transport_stream));
  gst_app_src_end_of_stream(GST_APP_SRC(src));

  std::string mp4;
  GstRef<GstBus> bus(gst_element_get_bus(cut.pipeline));
  auto deadline = std::chrono::steady_clock::now() + kCutTimeout;
  while (!gst_app_sink_is_eos(GST_APP_SINK(sink))) {
    if (GstMessage* m = gst_bus_pop_filtered(bus.get(), GST_MESSAGE_ERROR); m != nullptr) {
      Error error = bus_error(m);
      gst_message_unref(m);
      return error;
    }
    if (std::chrono::steady_clock::now() > deadline) return cut_failed("the cut took too long");
    GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), 100 * GST_MSECOND);
    if (sample == nullptr) continue;
    GstMapInfo map;
    GstBuffer* out = gst_sample_get_buffer(sample);
    if (out != nullptr && gst_buffer_map(out, &map, GST_MAP_READ)) {
      mp4.append(reinterpret_cast<const char*>(map.data), map.size);
      gst_buffer_unmap(out, &map);
    }
    gst_sample_unref(sample);
  }
  return mp4;
}

}  // namespace

Result<ClipCut> cut_clip(const std::filesystem::path& dir, std::string_view recording_id, const SecretBytes& key,
                         std::int64_t start_ms, std::int64_t end_ms) {
  VEIL_TRY(ensure_gstreamer());
  std::vector<RecordedSegment> segments = VEIL_TRY(recorded_segments(dir));
  std::int64_t recorded_ms = segments.empty() ? 0 : segments.back().start_ms + segments.back().duration_ms;
  if (start_ms < 0 || end_ms <= start_ms || end_ms > recorded_ms)
    return Error::invalid("clip_range_invalid", "outside the recording");

  // The segments that hold any of the range, decrypted one after another into one transport stream
  // (hlssink2 cut them from one continuous stream, so their timestamps run on).
  std::string transport_stream;
  std::int64_t base_ms = -1;
  for (const auto& segment : segments) {
    if (segment.start_ms + segment.duration_ms <= start_ms || segment.start_ms >= end_ms) continue;
    if (base_ms < 0) base_ms = segment.start_ms;
    transport_stream += VEIL_TRY(read_recording_segment(dir, recording_id, segment.name, key));
  }
  if (base_ms < 0) return Error::invalid("clip_range_invalid", "no segment covers the range");

  // First where the key frames are: the clip opens on the last one at or before the asked start
  // (with whole seconds, the start itself), so it holds everything that was asked for.
  GstClockTime asked_start = static_cast<GstClockTime>(start_ms - base_ms) * GST_MSECOND;
  GstClockTime opening = asked_start;
  {
    Cut scan;
    scan.pipeline = gst_pipeline_new("clip-survey");
    gst_object_ref_sink(scan.pipeline);
    Status surveyed = survey(transport_stream, scan);
    gst_element_set_state(scan.pipeline, GST_STATE_NULL);
    gst_object_unref(scan.pipeline);
    VEIL_TRY(surveyed);
    for (GstClockTime frame : scan.key_frames) {
      if (frame <= asked_start + kKeyFrameSlack) opening = frame;
    }
    if (!scan.key_frames.empty() && scan.key_frames.front() > asked_start + kKeyFrameSlack) opening = scan.key_frames.front();
  }

  std::filesystem::path scratch = VEIL_TRY(private_scratch_dir());
  Cut cut;
  cut.trim.start_offset = opening;
  cut.trim.end_offset = static_cast<GstClockTime>(end_ms - base_ms) * GST_MSECOND;
  cut.pipeline = gst_pipeline_new("clip-cut");
  gst_object_ref_sink(cut.pipeline);
  auto mp4 = remux(transport_stream, cut, scratch);
  gst_element_set_state(cut.pipeline, GST_STATE_NULL);
  gst_object_unref(cut.pipeline);
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);  // mp4mux removes its file; the folder goes too
  if (!mp4.ok()) return mp4.take_error();
  if (!GST_CLOCK_TIME_IS_VALID(cut.trim.video_start) || mp4->empty()) return cut_failed("no picture in the range");
  ClipCut clip;
  clip.mp4 = std::move(mp4).value();
  clip.start_ms = base_ms + static_cast<std::int64_t>((cut.trim.video_start - cut.trim.first_pts) / GST_MSECOND);
  clip.duration_ms = static_cast<std::int64_t>((cut.trim.video_end - cut.trim.video_start) / GST_MSECOND);
  return clip;
}

}  // namespace veil::media
