#include "media/recording_branch.hpp"

#include <gst/video/video.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <future>
#include <iterator>

namespace veil::media {

namespace {

constexpr std::string_view kPlaylistName = "index.m3u8";
constexpr std::string_view kSealedSuffix = ".vseg";
// How long finish() waits for the last segment to be closed: the branch's queues hold a few
// seconds at most, and a stalled pipeline must not hang the caller.
constexpr auto kEndTimeout = std::chrono::seconds(5);

// The names hlssink2 gives fragments ("segment%05d.ts"), and the only segment names replay opens:
// nothing a caller passes can reach outside the recording's folder.
bool is_segment_name(std::string_view name) {
  constexpr std::string_view prefix = "segment", suffix = ".ts";
  if (name.size() < prefix.size() + 5 + suffix.size() || !name.starts_with(prefix) ||
      !name.ends_with(suffix))
    return false;
  std::string_view digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::filesystem::path sealed_path(const std::filesystem::path& dir, std::string_view name) {
  return dir / (std::string(name) + std::string(kSealedSuffix));
}

struct PlaylistEntry {
  std::string name;
  double duration_s = 0;
};

// hlssink2's playlist: "#EXTINF:<seconds>," before each fragment's name, "#EXT-X-ENDLIST" once
// the stream has ended.
std::vector<PlaylistEntry> parse_playlist(std::string_view text, bool& ended) {
  std::vector<PlaylistEntry> entries;
  double duration = -1;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("#EXTINF:")) {
      line.remove_prefix(8);
      duration = -1;
      std::from_chars(line.data(), line.data() + line.size(), duration);
    } else if (line == "#EXT-X-ENDLIST") {
      ended = true;
    } else if (!line.empty() && line[0] != '#' && duration >= 0) {
      std::size_t slash = line.rfind('/');  // a playlist-root would prefix it
      entries.push_back(
          {std::string(slash == std::string_view::npos ? line : line.substr(slash + 1)), duration});
      duration = -1;
    }
  }
  return entries;
}

// A recording joins a running pipeline between key frames; until the first one arrives its
// frames cannot be decoded, so they are not recorded.
GstPadProbeReturn drop_until_key_frame(GstPad*, GstPadProbeInfo* info, gpointer) {
  if ((GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER) != 0) {
    GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
    if (GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT)) return GST_PAD_PROBE_DROP;
    return GST_PAD_PROBE_REMOVE;  // passes this key frame and everything after it
  }
  // A list before the first key frame goes whole; the encoder was asked for another key frame.
  return GST_PAD_PROBE_DROP;
}

// One tee pad being let go: the tee's streaming thread unlinks it between two buffers and sends
// end-of-stream into the branch, so the branch's last segment is closed while the room runs on.
struct Detaching {
  std::promise<bool> eos_delivered;
  std::atomic<bool> done{false};
};

GstPadProbeReturn detach_when_idle(GstPad* tee_pad, GstPadProbeInfo*, gpointer data) {
  auto& detaching = **static_cast<std::shared_ptr<Detaching>*>(data);
  if (detaching.done.exchange(true)) return GST_PAD_PROBE_REMOVE;
  bool delivered = false;
  if (GstPad* branch_pad = gst_pad_get_peer(tee_pad); branch_pad != nullptr) {
    gst_pad_unlink(tee_pad, branch_pad);
    // False when the branch is flushing (the pipeline has stopped): nothing will end the segment.
    delivered = gst_pad_send_event(branch_pad, gst_event_new_eos()) != FALSE;
    gst_object_unref(branch_pad);
  }
  detaching.eos_delivered.set_value(delivered);
  return GST_PAD_PROBE_REMOVE;
}

}  // namespace

RecordingBranch::RecordingBranch(RecordingOptions options, SegmentCipher cipher)
    : options_(std::move(options)), cipher_(std::move(cipher)) {}

Result<std::unique_ptr<RecordingBranch>> RecordingBranch::attach(GstBin& pipeline,
                                                                 GstElement* video_tee,
                                                                 GstElement* audio_tee,
                                                                 RecordingOptions options) {
  VEIL_TRY(ensure_gstreamer());
  if (video_tee == nullptr || audio_tee == nullptr)
    return Error::internal("a recording needs both tees");
  if (options.recording_id.empty()) return Error::internal("a recording needs an id");
  if (options.segment_seconds < 1)
    return Error::internal("recording segments last at least a second");
  SegmentCipher cipher = VEIL_TRY(SegmentCipher::create(std::move(options.key)));
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Error::internal("cannot create the recording folder: " + ec.message());
  std::filesystem::permissions(options.dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  // A second recording in the same folder would overwrite the first one's segments.
  if (std::filesystem::exists(options.dir / kPlaylistName, ec)) {
    return Error{ErrorCode::Conflict, "conflict", "the recording folder already holds a recording"};
  }
  std::unique_ptr<RecordingBranch> branch(
      new RecordingBranch(std::move(options), std::move(cipher)));
  branch->writer_ = std::thread([b = branch.get()] { b->write_segments(); });
  // On failure the destructor takes out whatever was added.
  VEIL_TRY(branch->build(pipeline, video_tee, audio_tee));
  return branch;
}

Status RecordingBranch::build(GstBin& pipeline, GstElement* video_tee, GstElement* audio_tee) {
  pipeline_.reset(GST_ELEMENT(gst_object_ref(&pipeline)));
  video_tee_.reset(GST_ELEMENT(gst_object_ref(video_tee)));
  audio_tee_.reset(GST_ELEMENT(gst_object_ref(audio_tee)));
  auto add = [&](std::string_view factory) -> Result<GstElement*> {
    GstElement* e = VEIL_TRY(make_element(factory));
    if (!gst_bin_add(&pipeline, e)) return Error::internal("gst_bin_add refused an element");
    elements_.push_back(e);
    return e;
  };
  video_queue_ = VEIL_TRY(add("queue"));
  audio_queue_ = VEIL_TRY(add("queue"));
  GstElement* convert = VEIL_TRY(add("audioconvert"));  // the AAC encoder wants planar float
  GstElement* aac = VEIL_TRY(add("avenc_aac"));
  GstElement* aac_parse = VEIL_TRY(add("aacparse"));
  hls_ = VEIL_TRY(add("hlssink2"));

  // The queues are the only coupling to the live room: if the recording stalls (a slow disk), it
  // loses its oldest data here rather than blocking the tees and freezing the room for everyone.
  for (GstElement* queue : {video_queue_, audio_queue_}) {
    g_object_set(queue, "leaky", 2 /* downstream */, "max-size-buffers", 0u, "max-size-bytes", 0u,
                 "max-size-time", guint64(3 * GST_SECOND), nullptr);
  }
  // Nothing is ever written at these locations: the signals below hand hlssink2 memory streams.
  // They name a folder that does not exist, so were the defaults ever used they would fail
  // rather than write plaintext; hlssink2 lists fragments by the file name alone.
  std::filesystem::path unwritten = options_.dir / "never-written";
  g_object_set(hls_, "location", (unwritten / "segment%05d.ts").c_str(), "playlist-location",
               (unwritten / std::string(kPlaylistName)).c_str(), "target-duration",
               static_cast<guint>(options_.segment_seconds), "playlist-length",
               0u /* every segment */, "max-files", 0u /* never delete */, "send-keyframe-requests",
               TRUE, nullptr);
  g_signal_connect(hls_, "get-fragment-stream", G_CALLBACK(&RecordingBranch::on_fragment_stream),
                   this);
  g_signal_connect(hls_, "get-playlist-stream", G_CALLBACK(&RecordingBranch::on_playlist_stream),
                   this);

  if (!gst_element_link_pads(video_queue_, "src", hls_, "video"))
    return Error::internal("cannot link recording video");
  VEIL_TRY(link_chain({audio_queue_, convert, aac, aac_parse}));
  if (!gst_element_link_pads(aac_parse, "src", hls_, "audio"))
    return Error::internal("cannot link recording audio");
  GstRef<GstPad> video_out(gst_element_get_static_pad(video_queue_, "src"));
  gst_pad_add_probe(
      video_out.get(),
      static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
      &drop_until_key_frame, nullptr, nullptr);

  // The tee trap (docs/architecture.md): the branch runs before a running tee feeds it. Sink first,
  // so nothing pushes into an element that is not ready.
  for (auto it = elements_.rbegin(); it != elements_.rend(); ++it) {
    if (!gst_element_sync_state_with_parent(*it))
      return Error::internal("recording element did not start");
  }
  video_tee_pad_.reset(gst_element_request_pad_simple(video_tee, "src_%u"));
  audio_tee_pad_.reset(gst_element_request_pad_simple(audio_tee, "src_%u"));
  if (!video_tee_pad_ || !audio_tee_pad_)
    return Error::internal("the tees gave no pad for the recording");
  GstRef<GstPad> video_in(gst_element_get_static_pad(video_queue_, "sink"));
  GstRef<GstPad> audio_in(gst_element_get_static_pad(audio_queue_, "sink"));
  if (gst_pad_link(video_tee_pad_.get(), video_in.get()) != GST_PAD_LINK_OK) {
    return Error::internal(
        "cannot link the recording to the video tee (H.264 byte-stream expected)");
  }
  if (gst_pad_link(audio_tee_pad_.get(), audio_in.get()) != GST_PAD_LINK_OK) {
    return Error::internal("cannot link the recording to the audio tee (raw audio expected)");
  }
  // The room's encoder puts a key frame every room segment anyway; asking starts the recording now.
  gst_pad_push_event(video_in.get(),
                     gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
  attached_ = true;
  return {};
}

GOutputStream* RecordingBranch::on_fragment_stream(GstElement*, const gchar* location,
                                                   gpointer self) {
  auto* branch = static_cast<RecordingBranch*>(self);
  GOutputStream* stream = g_memory_output_stream_new_resizable();
  std::string name = std::filesystem::path(location).filename().string();
  {
    std::lock_guard lock(branch->mutex_);
    branch->fragments_[name] = StreamRef(G_OUTPUT_STREAM(g_object_ref(stream)));
  }
  return stream;  // hlssink2 takes the creation reference
}

GOutputStream* RecordingBranch::on_playlist_stream(GstElement*, const gchar*, gpointer self) {
  GOutputStream* stream = g_memory_output_stream_new_resizable();
  // hlssink2 writes the whole playlist into the stream and then drops it. The toggle reference
  // tells us the moment it does, with the stream still whole (a weak reference would come during
  // disposal). hlssink2 writes a playlist right after splitmuxsink closes a fragment, and once
  // more at end of stream: a fragment it lists is complete.
  g_object_add_toggle_ref(G_OBJECT(stream), &RecordingBranch::on_playlist_released, self);
  return stream;  // hlssink2 takes the creation reference; the toggle reference is ours
}

void RecordingBranch::on_playlist_released(gpointer self, GObject* object, gboolean is_last_ref) {
  if (!is_last_ref) return;
  auto* branch = static_cast<RecordingBranch*>(self);
  auto* memory = G_MEMORY_OUTPUT_STREAM(object);
  std::string_view text(static_cast<const char*>(g_memory_output_stream_get_data(memory)),
                        g_memory_output_stream_get_data_size(memory));
  branch->take_listed_fragments(text);
  g_object_remove_toggle_ref(object, &RecordingBranch::on_playlist_released, self);  // frees it
}

void RecordingBranch::take_listed_fragments(std::string_view playlist) {
  bool ended = false;
  std::vector<PlaylistEntry> entries = parse_playlist(playlist, ended);
  std::lock_guard lock(mutex_);
  for (auto& entry : entries) {
    if (taken_.count(entry.name) != 0) continue;
    auto it = fragments_.find(entry.name);
    if (it == fragments_.end()) continue;
    auto* memory = G_MEMORY_OUTPUT_STREAM(it->second.get());
    // A copy: giostreamsink keeps its reference until the next fragment opens. Sealing happens on
    // the writer thread, so the streaming thread never waits for the disk.
    std::string plaintext(static_cast<const char*>(g_memory_output_stream_get_data(memory)),
                          g_memory_output_stream_get_data_size(memory));
    jobs_.push_back(SealJob{entry.name, std::move(plaintext), entry.duration_s});
    fragments_.erase(it);
    taken_.insert(entry.name);
  }
  if (ended) hls_ended_ = true;
  changed_.notify_all();
}

void RecordingBranch::write_segments() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stop_writer_ || !jobs_.empty(); });
    if (jobs_.empty()) break;  // stopping, and everything is written
    SealJob job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    std::filesystem::path file = sealed_path(options_.dir, job.name);
    Status sealed =
        cipher_.seal_to_file(job.plaintext, file, SegmentLabel{options_.recording_id, job.name});
    std::error_code ec;
    std::uintmax_t size = sealed.ok() ? std::filesystem::file_size(file, ec) : 0;
    lock.lock();
    if (!sealed.ok()) {
      // Segment names and the error only: nothing about who is in the recording.
      spdlog::error("media: recording segment {} could not be sealed: {}", job.name,
                    sealed.error().detail);
      if (first_error_.ok()) first_error_ = sealed.error();
      gap_pending_ = true;
      continue;
    }
    listed_.push_back(Listed{job.name, job.duration_s, gap_pending_});
    gap_pending_ = false;
    duration_ms_ += std::llround(job.duration_s * 1000);
    bytes_ += ec ? 0 : size;
    // Listed only once its sealed file is in place: a player never asks for a missing segment.
    std::string text = render_playlist(false);
    lock.unlock();
    Status written = write_file_atomically(options_.dir / kPlaylistName, text);
    lock.lock();
    if (!written.ok()) {
      spdlog::error("media: recording playlist could not be written: {}", written.error().detail);
      if (first_error_.ok()) first_error_ = written.error();
    }
  }
}

std::string RecordingBranch::render_playlist(bool ended) const {
  // No segment's duration, rounded to the nearest second, may exceed the target (RFC 8216
  // 4.3.3.1); segments are cut on the first key frame after the target, so one may run over.
  long target = options_.segment_seconds;
  for (const auto& l : listed_) target = std::max(target, std::lround(l.duration_s));
  std::string text =
      "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-TARGETDURATION:" +
      std::to_string(target) + "\n#EXT-X-MEDIA-SEQUENCE:0\n";
  char extinf[64];
  for (const auto& l : listed_) {
    if (l.after_gap) text += "#EXT-X-DISCONTINUITY\n";
    std::snprintf(extinf, sizeof extinf, "#EXTINF:%.3f,\n", l.duration_s);
    text += extinf;
    text += l.name + "\n";
  }
  if (ended) text += "#EXT-X-ENDLIST\n";
  return text;
}

void RecordingBranch::detach_from_tees() {
  bool eos_delivered = true;
  for (auto [tee, tee_pad] : {std::pair{video_tee_.get(), video_tee_pad_.get()},
                              std::pair{audio_tee_.get(), audio_tee_pad_.get()}}) {
    if (tee_pad == nullptr) continue;
    // Shared with the probe, which may run after a timed-out wait here.
    auto detaching = std::make_shared<Detaching>();
    std::future<bool> delivered = detaching->eos_delivered.get_future();
    // GStreamer holds its own shared_ptr through the probe's user data and frees it with the probe.
    gst_pad_add_probe(tee_pad, GST_PAD_PROBE_TYPE_IDLE, &detach_when_idle,
                      new std::shared_ptr<Detaching>(detaching),
                      [](gpointer data) { delete static_cast<std::shared_ptr<Detaching>*>(data); });
    if (delivered.wait_for(kEndTimeout) != std::future_status::ready || !delivered.get())
      eos_delivered = false;
    gst_element_release_request_pad(tee, tee_pad);
  }
  video_tee_pad_.reset();
  audio_tee_pad_.reset();
  // Half attached (attach failed) or already stopped: no end of stream will close a segment.
  if (!attached_ || !eos_delivered) return;
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, kEndTimeout, [this] { return hls_ended_; })) {
    spdlog::warn("media: recording did not close its last segment in time; it is left out");
  }
}

void RecordingBranch::stop_elements() {
  // Upstream first, so nothing pushes into an element that has stopped. hlssink2 may write one
  // more playlist on its way down, so its signals stay connected until it has stopped.
  for (GstElement* e : elements_) gst_element_set_state(e, GST_STATE_NULL);
  if (hls_ != nullptr) g_signal_handlers_disconnect_by_data(hls_, this);
  for (GstElement* e : elements_) gst_bin_remove(GST_BIN(pipeline_.get()), e);
  elements_.clear();
  hls_ = video_queue_ = audio_queue_ = nullptr;
}

Status RecordingBranch::finish() {
  if (finished_) {
    std::lock_guard lock(mutex_);
    return first_error_;
  }
  finished_ = true;
  detach_from_tees();
  stop_elements();
  {
    std::lock_guard lock(mutex_);
    stop_writer_ = true;
    fragments_.clear();  // not closed in time: never listed, never written
    changed_.notify_all();
  }
  if (writer_.joinable()) writer_.join();
  std::unique_lock lock(mutex_);
  std::string text = render_playlist(true);
  lock.unlock();
  Status written = write_file_atomically(options_.dir / kPlaylistName, text);
  lock.lock();
  if (!written.ok() && first_error_.ok()) first_error_ = written.error();
  return first_error_;
}

RecordingBranch::~RecordingBranch() { (void)finish(); }

std::int64_t RecordingBranch::duration_ms() const {
  std::lock_guard lock(mutex_);
  return duration_ms_;
}

std::uint64_t RecordingBranch::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t RecordingBranch::segments() const {
  std::lock_guard lock(mutex_);
  return listed_.size();
}

Result<std::string> read_recording_segment(const std::filesystem::path& dir,
                                           std::string_view recording_id, std::string_view name,
                                           const SecretBytes& key) {
  if (name == kPlaylistName) {
    std::ifstream in(dir / kPlaylistName, std::ios::binary);
    if (!in) return Error{ErrorCode::NotFound, "not_found", "the recording has no playlist"};
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  if (!is_segment_name(name))
    return Error{ErrorCode::NotFound, "not_found", "not a recording segment name"};
  SegmentCipher cipher = VEIL_TRY(SegmentCipher::create(key.copy()));
  return cipher.open_file(sealed_path(dir, name), SegmentLabel{recording_id, name});
}

Result<std::vector<RecordedSegment>> recorded_segments(const std::filesystem::path& dir) {
  std::ifstream in(dir / kPlaylistName, std::ios::binary);
  if (!in) return Error{ErrorCode::NotFound, "not_found", "the recording has no playlist"};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bool ended = false;
  std::vector<RecordedSegment> out;
  std::int64_t at_ms = 0;
  for (auto& entry : parse_playlist(text, ended)) {
    if (!is_segment_name(entry.name)) continue;
    std::int64_t duration_ms = std::llround(entry.duration_s * 1000);
    out.push_back(RecordedSegment{std::move(entry.name), at_ms, duration_ms});
    at_ms += duration_ms;
  }
  return out;
}

}  // namespace veil::media
