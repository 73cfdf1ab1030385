#include "media/room_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace veil::media {

namespace {

std::int64_t monotonic_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string raw_video_caps(const RoomOutputOptions& o) {
  return "video/x-raw,format=I420,pixel-aspect-ratio=1/1,width=" + std::to_string(o.width) + ",height=" +
         std::to_string(o.height) + ",framerate=" + std::to_string(o.fps) + "/1";
}

constexpr const char* kRawAudioCaps = "audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=2";

}  // namespace

Result<std::unique_ptr<RoomPipeline>> RoomPipeline::create(std::string name, RoomOutputOptions options) {
  VEIL_TRY(ensure_gstreamer());
  std::error_code ec;
  std::filesystem::remove_all(options.hls_dir, ec);
  std::filesystem::create_directories(options.hls_dir, ec);
  if (ec) return Error::internal("cannot create the HLS folder: " + ec.message());
  std::unique_ptr<RoomPipeline> room(new RoomPipeline(std::move(name), std::move(options)));
  VEIL_TRY(room->build_output());
  if (gst_element_set_state(room->pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    return Error{ErrorCode::Unavailable, "media_unavailable", "room pipeline did not start"};
  }
  room->bus_thread_ = std::thread([r = room.get()] { r->watch_bus(); });
  return room;
}

Status RoomPipeline::build_output() {
  pipeline_.reset(GST_ELEMENT(gst_object_ref_sink(gst_pipeline_new(("room-" + name_).c_str()))));
  GstBin* bin = GST_BIN(pipeline_.get());
  auto add = [bin](std::string_view factory) -> Result<GstElement*> {
    GstElement* e = VEIL_TRY(make_element(factory));
    gst_bin_add(bin, e);
    return e;
  };
  const RoomOutputOptions& o = options_;

  // Picture: a black background that always ticks, the publishers composed over it, encoded once.
  GstElement* background = VEIL_TRY(add("videotestsrc"));
  g_object_set(background, "is-live", TRUE, "pattern", 2 /* black */, nullptr);
  GstElement* background_caps = VEIL_TRY(add("capsfilter"));
  g_object_set(background_caps, "caps", caps_from_string(raw_video_caps(o)).get(), nullptr);
  compositor_ = VEIL_TRY(add("compositor"));
  g_object_set(compositor_, "background", 1 /* black */, nullptr);
  GstElement* composed_caps = VEIL_TRY(add("capsfilter"));
  g_object_set(composed_caps, "caps", caps_from_string(raw_video_caps(o)).get(), nullptr);
  GstElement* encode_queue = VEIL_TRY(add("queue"));
  // When the encoder falls behind, raw frames are dropped here, so the room's latency stays bounded.
  g_object_set(encode_queue, "leaky", 2, "max-size-buffers", 3u, "max-size-time", guint64(0), "max-size-bytes", 0u, nullptr);
  GstElement* encoder = VEIL_TRY(add("x264enc"));
  // zerolatency: no B-frames, no lookahead. A key frame every segment so HLS cuts on time.
  gst_util_set_object_arg(G_OBJECT(encoder), "tune", "zerolatency");
  gst_util_set_object_arg(G_OBJECT(encoder), "speed-preset", "superfast");
  g_object_set(encoder, "bitrate", static_cast<guint>(o.video_kbps), "key-int-max", static_cast<guint>(o.fps * o.segment_seconds),
               nullptr);
  GstElement* profile = VEIL_TRY(add("capsfilter"));
  // Constrained baseline: what every browser's WebRTC and MSE decoder accepts.
  g_object_set(profile, "caps", caps_from_string("video/x-h264,profile=constrained-baseline").get(), nullptr);
  GstElement* parse = VEIL_TRY(add("h264parse"));
  g_object_set(parse, "config-interval", -1, nullptr);
  GstElement* video_tee = VEIL_TRY(add("tee"));
  g_object_set(video_tee, "allow-not-linked", TRUE, nullptr);
  VEIL_TRY(link_chain({background, background_caps, compositor_, composed_caps, encode_queue, encoder, profile, parse, video_tee}));
  video_tee_ = video_tee;  // the recording hangs off it later

  // Sound: silence that always ticks, the publishers mixed over it.
  GstElement* silence = VEIL_TRY(add("audiotestsrc"));
  g_object_set(silence, "is-live", TRUE, "wave", 4 /* silence */, nullptr);
  GstElement* silence_caps = VEIL_TRY(add("capsfilter"));
  g_object_set(silence_caps, "caps", caps_from_string(kRawAudioCaps).get(), nullptr);
  audio_mixer_ = VEIL_TRY(add("audiomixer"));
  GstElement* mixed_caps = VEIL_TRY(add("capsfilter"));
  g_object_set(mixed_caps, "caps", caps_from_string(kRawAudioCaps).get(), nullptr);
  GstElement* audio_tee = VEIL_TRY(add("tee"));
  g_object_set(audio_tee, "allow-not-linked", TRUE, nullptr);
  VEIL_TRY(link_chain({silence, silence_caps, audio_mixer_, mixed_caps, audio_tee}));
  audio_tee_ = audio_tee;

  // HLS: short segments cut on the encoder's key frames.
  GstElement* hls = VEIL_TRY(add("hlssink2"));
  g_object_set(hls, "location", (o.hls_dir / "segment%05d.ts").c_str(), "playlist-location", (o.hls_dir / "index.m3u8").c_str(),
               "target-duration", static_cast<guint>(o.segment_seconds), "playlist-length", static_cast<guint>(o.playlist_segments),
               "max-files", static_cast<guint>(o.playlist_segments + 4), nullptr);
  GstElement* hls_video_queue = VEIL_TRY(add("queue"));
  VEIL_TRY(link_chain({video_tee, hls_video_queue}));
  if (!gst_element_link_pads(hls_video_queue, "src", hls, "video")) return Error::internal("cannot link HLS video");
  GstElement* hls_audio_queue = VEIL_TRY(add("queue"));
  GstElement* aac_convert = VEIL_TRY(add("audioconvert"));  // the AAC encoder wants planar float
  GstElement* aac = VEIL_TRY(add("avenc_aac"));
  GstElement* aac_parse = VEIL_TRY(add("aacparse"));
  VEIL_TRY(link_chain({audio_tee, hls_audio_queue, aac_convert, aac, aac_parse}));
  if (!gst_element_link_pads(aac_parse, "src", hls, "audio")) return Error::internal("cannot link HLS audio");
  return build_rtp_output(video_tee, audio_tee);
}

Status RoomPipeline::build_rtp_output(GstElement* video_tee, GstElement* audio_tee) {
  const RoomOutputOptions& o = options_;
  GstBin* bin = GST_BIN(pipeline_.get());
  auto add = [bin](std::string_view factory) -> Result<GstElement*> {
    GstElement* e = VEIL_TRY(make_element(factory));
    gst_bin_add(bin, e);
    return e;
  };
  auto udp_to = [&](int port) -> Result<GstElement*> {
    GstElement* sink = VEIL_TRY(add("udpsink"));
    // Live already: the clock was applied upstream, and a slow Janus must not stall the room.
    g_object_set(sink, "host", "127.0.0.1", "port", port, "sync", FALSE, "async", FALSE, nullptr);
    return sink;
  };
  if (o.rtp_video_port > 0) {
    GstElement* queue = VEIL_TRY(add("queue"));
    GstElement* pay = VEIL_TRY(add("rtph264pay"));
    // Parameter sets before every key frame: a viewer joining mid-stream decodes from the next one.
    g_object_set(pay, "pt", 96u, "config-interval", -1, nullptr);
    gst_util_set_object_arg(G_OBJECT(pay), "aggregate-mode", "zero-latency");
    VEIL_TRY(link_chain({video_tee, queue, pay, VEIL_TRY(udp_to(o.rtp_video_port))}));
  }
  if (o.rtp_audio_port > 0) {
    GstElement* queue = VEIL_TRY(add("queue"));
    GstElement* convert = VEIL_TRY(add("audioconvert"));
    GstElement* opus = VEIL_TRY(add("opusenc"));
    GstElement* pay = VEIL_TRY(add("rtpopuspay"));
    g_object_set(pay, "pt", 111u, nullptr);
    VEIL_TRY(link_chain({audio_tee, queue, convert, opus, pay, VEIL_TRY(udp_to(o.rtp_audio_port))}));
  }
  return {};
}

RoomPipeline::~RoomPipeline() {
  finish_recording();  // its last segment closes while the composed output still runs
  remove_all_viewers();
  {
    std::lock_guard lock(mutex_);
    publishers_.clear();  // each branch leaves the running pipeline cleanly
    order_.clear();
  }
  // The bus thread discards what it does not log; stop it before waiting for the end of stream.
  stopping_ = true;
  if (bus_thread_.joinable()) bus_thread_.join();
  // End of stream through the output: hlssink2 closes the last segment and ends the playlist.
  GstRef<GstBus> bus(gst_element_get_bus(pipeline_.get()));
  gst_element_send_event(pipeline_.get(), gst_event_new_eos());
  GstMessage* done = gst_bus_timed_pop_filtered(bus.get(), 3 * GST_SECOND,
                                                static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  if (done != nullptr) gst_message_unref(done);
  gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
}

Result<std::string> RoomPipeline::add_publisher(const std::string& publisher_id, const std::string& offer_sdp,
                                                const std::string& video_codec, std::unique_ptr<FaceMask> mask,
                                                int host_view_port) {
  MixerInputs inputs{compositor_, audio_mixer_};
  auto branch = VEIL_TRY(PublisherBranch::create(*GST_BIN(pipeline_.get()), inputs, publisher_id, std::move(mask), host_view_port));
  std::string answer = VEIL_TRY(branch->answer(offer_sdp, video_codec));
  insert(publisher_id, std::move(branch));
  return answer;
}

Status RoomPipeline::add_rtmp_publisher(const std::string& publisher_id, const std::string& url, std::unique_ptr<FaceMask> mask,
                                        int host_view_port) {
  MixerInputs inputs{compositor_, audio_mixer_};
  insert(publisher_id, VEIL_TRY(PublisherBranch::pull_rtmp(*GST_BIN(pipeline_.get()), inputs, publisher_id, std::move(mask),
                                                          host_view_port, url)));
  return {};
}

void RoomPipeline::insert(const std::string& publisher_id, std::unique_ptr<PublisherBranch> branch) {
  std::unique_ptr<PublisherBranch> replaced;  // a reconnect's old branch goes outside the lock
  std::lock_guard lock(mutex_);
  if (auto old = publishers_.find(publisher_id); old != publishers_.end()) {
    replaced = std::move(old->second.branch);
    order_.erase(std::remove(order_.begin(), order_.end(), publisher_id), order_.end());
  }
  publishers_[publisher_id] = Publisher{std::move(branch), monotonic_ms()};
  order_.push_back(publisher_id);
  relayout();
}

bool RoomPipeline::remove_publisher(const std::string& publisher_id) {
  std::unique_ptr<PublisherBranch> leaving;
  {
    std::lock_guard lock(mutex_);
    auto it = publishers_.find(publisher_id);
    if (it == publishers_.end()) return false;
    leaving = std::move(it->second.branch);
    publishers_.erase(it);
    order_.erase(std::remove(order_.begin(), order_.end(), publisher_id), order_.end());
    relayout();
  }
  leaving.reset();
  return true;
}

void RoomPipeline::relayout() {
  if (order_.empty()) return;
  int n = static_cast<int>(order_.size());
  for (int i = 0; i < n; ++i) {
    int x = options_.width * i / n;
    int next = options_.width * (i + 1) / n;
    publishers_[order_[static_cast<std::size_t>(i)]].branch->place(Tile{x, 0, next - x, options_.height});
  }
}

std::vector<std::string> RoomPipeline::silent_publishers(std::int64_t idle_ms) const {
  std::int64_t now = monotonic_ms();
  std::vector<std::string> silent;
  std::lock_guard lock(mutex_);
  for (const auto& [id, p] : publishers_) {
    std::int64_t last = std::max(p.added_ms, p.branch->last_media_ms());
    if (now - last > idle_ms) silent.push_back(id);
  }
  return silent;
}

std::size_t RoomPipeline::publisher_count() const {
  std::lock_guard lock(mutex_);
  return publishers_.size();
}

void RoomPipeline::watch_bus() {
  GstRef<GstBus> bus(gst_element_get_bus(pipeline_.get()));
  while (!stopping_) {
    GstMessage* message = gst_bus_timed_pop_filtered(bus.get(), 100 * GST_MSECOND,
                                                     static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_WARNING));
    if (message == nullptr) continue;
    GError* error = nullptr;
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
      gst_message_parse_error(message, &error, nullptr);
      // Element names and GStreamer's message only: no SDP, no addresses, nothing personal.
      spdlog::error("media: room {} element {}: {}", name_, GST_OBJECT_NAME(GST_MESSAGE_SRC(message)), error->message);
    } else {
      gst_message_parse_warning(message, &error, nullptr);
      spdlog::warn("media: room {} element {}: {}", name_, GST_OBJECT_NAME(GST_MESSAGE_SRC(message)), error->message);
    }
    g_error_free(error);
    gst_message_unref(message);
  }
}

}  // namespace veil::media
