// Encrypted live recordings at rest ([000] (3): voice and video, faces included, kept 60 days).
// One short recording of a running test pipeline (built as room_pipeline.cpp builds its outputs)
// is made once for the suite, with a watcher reading every file under the recording's folder the
// whole time; the tests then look at what the disk held, what comes back with the host's key, and
// what every kind of tampering gets.
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "media/gst_support.hpp"
#include "media/recording_branch.hpp"
#include "media/segment_cipher.hpp"
#include "media/support/media_probe.hpp"

namespace veil::media {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kWidth = 320, kHeight = 180, kFps = 30;
constexpr auto kRecordFor = 3600ms;
const std::string kRecordingId = "rec-5f0e7a21";
constexpr std::size_t kSealedHeaderBytes = 48, kTagBytes = 17;

SecretBytes key_filled_with(std::uint8_t value, std::size_t size = SegmentCipher::kKeyBytes) {
  SecretBytes key(size);
  if (size > 0) std::memset(key.data(), value, size);
  return key;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string bytes_of_size(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return s;
}

// A scratch folder that goes away however the test ends.
struct ScratchDir {
  explicit ScratchDir(const std::string& name)
      : path(fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~ScratchDir() { fs::remove_all(path); }
  fs::path path;
};

// Plaintext media has structure a cipher hides: MPEG-TS puts the sync byte 0x47 every 188 bytes;
// MP4 and fragmented MP4 open with an ftyp, styp or moof box.
bool looks_like_plaintext_media(std::string_view bytes) {
  constexpr std::size_t kPacket = 188, kPackets = 6;
  if (bytes.size() >= kPacket * kPackets) {
    for (std::size_t offset = 0; offset < kPacket; ++offset) {
      std::size_t synced = 0;
      while (synced < kPackets && bytes[offset + synced * kPacket] == 0x47) ++synced;
      if (synced == kPackets) return true;
    }
  }
  if (bytes.size() >= 8) {
    std::string_view box = bytes.substr(4, 4);
    if (box == "ftyp" || box == "styp" || box == "moof") return true;
  }
  return false;
}

// The room's encoded outputs, as room_pipeline.cpp builds them: live test picture → x264
// (zerolatency, a key frame a second) → h264parse → tee; live tone (raw S16LE 48 kHz stereo) →
// tee; each tee also feeds a sink that stands in for the room's own HLS and counts what flows.
class LiveOutputs {
 public:
  static std::unique_ptr<LiveOutputs> create() {
    if (!ensure_gstreamer().ok()) return nullptr;
    std::string description =
        "videotestsrc is-live=true ! video/x-raw,format=I420,pixel-aspect-ratio=1/1,width=" +
        std::to_string(kWidth) + ",height=" + std::to_string(kHeight) +
        ",framerate=" + std::to_string(kFps) +
        "/1 ! queue leaky=downstream max-size-buffers=3 max-size-bytes=0 max-size-time=0 ! "
        "x264enc tune=zerolatency speed-preset=superfast bitrate=400 key-int-max=" +
        std::to_string(kFps) +
        " ! video/x-h264,profile=constrained-baseline ! h264parse config-interval=-1 ! "
        // What the room's HLS and RTP outputs make its tee carry.
        "video/x-h264,stream-format=byte-stream,alignment=au ! "
        "tee name=video allow-not-linked=true ! queue ! fakesink name=room_video sync=false "
        "audiotestsrc is-live=true wave=sine freq=440 volume=0.5 ! "
        "audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=2 ! "
        "tee name=audio allow-not-linked=true ! queue ! fakesink sync=false";
    GError* error = nullptr;
    GstElement* pipeline = gst_parse_launch(description.c_str(), &error);
    if (error != nullptr) {
      ADD_FAILURE() << error->message;
      g_error_free(error);
      return nullptr;
    }
    std::unique_ptr<LiveOutputs> outputs(new LiveOutputs(pipeline));
    GstRef<GstElement> room_video(gst_bin_get_by_name(GST_BIN(pipeline), "room_video"));
    GstRef<GstPad> pad(gst_element_get_static_pad(room_video.get(), "sink"));
    gst_pad_add_probe(pad.get(), GST_PAD_PROBE_TYPE_BUFFER, &LiveOutputs::count_frame,
                      outputs.get(), nullptr);
    return outputs;
  }
  ~LiveOutputs() { gst_element_set_state(pipeline_.get(), GST_STATE_NULL); }

  bool play() {
    return gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE;
  }
  void stop() { gst_element_set_state(pipeline_.get(), GST_STATE_NULL); }
  GstBin& bin() { return *GST_BIN(pipeline_.get()); }
  GstElement* video_tee() { return video_tee_.get(); }
  GstElement* audio_tee() { return audio_tee_.get(); }
  std::uint64_t room_frames() const { return room_frames_; }
  int children() { return static_cast<int>(GST_BIN_NUMCHILDREN(GST_BIN(pipeline_.get()))); }

 private:
  explicit LiveOutputs(GstElement* pipeline)
      : pipeline_(GST_ELEMENT(gst_object_ref_sink(pipeline))),
        video_tee_(gst_bin_get_by_name(GST_BIN(pipeline), "video")),
        audio_tee_(gst_bin_get_by_name(GST_BIN(pipeline), "audio")) {}
  static GstPadProbeReturn count_frame(GstPad*, GstPadProbeInfo*, gpointer self) {
    ++static_cast<LiveOutputs*>(self)->room_frames_;
    return GST_PAD_PROBE_OK;
  }

  GstRef<GstElement> pipeline_;
  GstRef<GstElement> video_tee_, audio_tee_;
  std::atomic<std::uint64_t> room_frames_{0};
};

// Reads every file under a folder over and over, noting any that holds plaintext media.
class DiskWatcher {
 public:
  explicit DiskWatcher(fs::path dir) : dir_(std::move(dir)), thread_([this] { run(); }) {}
  ~DiskWatcher() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  void look() {
    std::error_code ec;
    bool saw_segment = false;
    for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string bytes =
          read_file(it->path());  // a temporary may vanish meanwhile: then it is empty
      std::string name = it->path().lexically_relative(dir_).string();
      if (looks_like_plaintext_media(bytes)) plaintext_.insert(name);
      if (name.ends_with(".vseg")) saw_segment = true;
      names_.insert(name);
    }
    ++looks_;
    if (saw_segment) ++looks_with_segments_;
  }

  std::set<std::string> plaintext_, names_;
  int looks_ = 0, looks_with_segments_ = 0;

 private:
  void run() {
    while (!stop_) {
      look();
      std::this_thread::sleep_for(50ms);
    }
  }
  fs::path dir_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The one recording the suite looks at.
struct Recorded {
  fs::path root, dir;
  SecretBytes key;
  Status finished;
  double wall_s = 0;
  std::int64_t duration_ms = 0;
  std::uint64_t bytes = 0;
  std::size_t segments = 0;
  std::set<std::string> plaintext_files, names_seen;
  int looks = 0, looks_with_segments = 0;
  std::uint64_t room_frames_while_recording = 0;
};

class RecordingAtRest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = std::make_unique<Recorded>();
    suite_dir_ = std::make_unique<ScratchDir>("veil-recording");
    r->root = suite_dir_->path;
    r->dir = r->root / "recordings" / kRecordingId;
    r->key = SecretBytes::random(SegmentCipher::kKeyBytes);
    fs::create_directories(r->root);

    auto outputs = LiveOutputs::create();
    ASSERT_TRUE(outputs && outputs->play());
    // Join mid-way between the room's key frames, as a recording started during a live does.
    std::this_thread::sleep_for(1400ms);
    DiskWatcher watcher(r->root);
    std::uint64_t frames_before = outputs->room_frames();
    auto started = std::chrono::steady_clock::now();
    auto branch =
        RecordingBranch::attach(outputs->bin(), outputs->video_tee(), outputs->audio_tee(),
                                RecordingOptions{r->dir, kRecordingId, r->key.copy(), 1});
    ASSERT_TRUE(branch.ok()) << branch.error().detail;
    // At least kRecordFor, and until two segments are sealed (a busy machine may take longer).
    std::this_thread::sleep_for(kRecordFor);
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while ((*branch)->segments() < 2 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    r->finished = (*branch)->finish();
    r->wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    r->room_frames_while_recording = outputs->room_frames() - frames_before;
    r->duration_ms = (*branch)->duration_ms();
    r->bytes = (*branch)->bytes();
    r->segments = (*branch)->segments();
    branch->reset();
    watcher.stop();
    watcher.look();  // and once more after everything has stopped
    r->plaintext_files = watcher.plaintext_;
    r->names_seen = watcher.names_;
    r->looks = watcher.looks_;
    r->looks_with_segments = watcher.looks_with_segments_;
    recorded_ = std::move(r);
  }
  static void TearDownTestSuite() {
    recorded_.reset();
    suite_dir_.reset();
  }
  void SetUp() override {
    ASSERT_TRUE(recorded_ != nullptr) << "the recording was not made";
    ASSERT_TRUE(recorded_->finished.ok()) << recorded_->finished.error().detail;
    listed_ = test::listed_segments(recorded_->dir / "index.m3u8");
    ASSERT_GE(listed_.size(), 2u) << "the tests below need at least two segments";
  }

  const Recorded& recorded() const { return *recorded_; }
  // A copy of the recording's folder to damage.
  fs::path scratch_copy(const std::string& name) const {
    fs::path copy = recorded_->root / "scratch" / name;
    fs::remove_all(copy);
    fs::create_directories(copy.parent_path());
    fs::copy(recorded_->dir, copy, fs::copy_options::recursive);
    return copy;
  }
  Result<std::string> read(const fs::path& dir, std::string_view name) const {
    return read_recording_segment(dir, kRecordingId, name, recorded_->key);
  }

  static std::unique_ptr<ScratchDir> suite_dir_;
  static std::unique_ptr<Recorded> recorded_;
  std::vector<std::string> listed_;
};

std::unique_ptr<ScratchDir> RecordingAtRest::suite_dir_;
std::unique_ptr<Recorded> RecordingAtRest::recorded_;

// Whether the first video access unit in an MPEG-TS file holds an IDR picture, read from the NAL
// unit headers of what tsdemux hands out (a parser would wait for the first key frame itself).
Result<bool> starts_with_key_frame(const fs::path& file) {
  GError* error = nullptr;
  GstElement* pipeline =
      gst_parse_launch(("filesrc location=" + file.string() +
                        " ! tsdemux ! video/x-h264 ! appsink name=out sync=false")
                           .c_str(),
                       &error);
  if (error != nullptr) {
    std::string message = error->message;
    g_error_free(error);
    return Error::internal(message);
  }
  GstRef<GstElement> owned(GST_ELEMENT(gst_object_ref_sink(pipeline)));
  GstRef<GstElement> sink(gst_bin_get_by_name(GST_BIN(pipeline), "out"));
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink.get()), 10 * GST_SECOND);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  if (sample == nullptr) return Error::internal("no video in " + file.filename().string());
  GstMapInfo map;
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  bool idr = false, slice = false;
  if (gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    for (std::size_t i = 0; i + 3 < map.size; ++i) {
      if (map.data[i] != 0 || map.data[i + 1] != 0 || map.data[i + 2] != 1) continue;
      int type = map.data[i + 3] & 0x1f;
      if (type == 5) idr = true;    // a slice of an IDR picture
      if (type == 1) slice = true;  // a slice of a picture that needs earlier ones
    }
    gst_buffer_unmap(buffer, &map);
  }
  gst_sample_unref(sample);
  return idr && !slice;
}

TEST_F(RecordingAtRest, NothingOnDiskIsPlaintextMediaWhileRecordingOrAfter) {
  EXPECT_TRUE(recorded().plaintext_files.empty())
      << "plaintext media seen in " << *recorded().plaintext_files.begin();
  EXPECT_GE(recorded().looks_with_segments, 5)
      << "the watcher must have looked while segments were being written";
  const fs::path folder = recorded().dir.lexically_relative(recorded().root);
  for (const auto& seen : recorded().names_seen) {
    fs::path path(seen);
    EXPECT_EQ(path.parent_path(), folder)
        << "nothing is written outside the recording's folder: " << seen;
    // Sealed segments, their temporaries while being written, and the playlist: nothing else.
    std::string name = path.filename().string();
    bool sealed = name.find(".vseg") != std::string::npos,
         playlist = name.starts_with("index.m3u8");
    EXPECT_TRUE(sealed || playlist) << "unexpected file " << seen;
  }
  for (const auto& entry : fs::directory_iterator(recorded().dir)) {
    std::string name = entry.path().filename().string();
    EXPECT_TRUE(name == "index.m3u8" || name.ends_with(".ts.vseg")) << "left behind: " << name;
    if (name.ends_with(".vseg")) {
      EXPECT_EQ(read_file(entry.path()).substr(0, 8), std::string("VEILREC\x01", 8));
    }
    EXPECT_EQ(
        fs::status(entry.path()).permissions() & (fs::perms::group_all | fs::perms::others_all),
        fs::perms::none)
        << name << " is readable by others";
  }
}

TEST_F(RecordingAtRest, SealedSegmentsDecodeToThePictureAndTheTone) {
  fs::path plain = recorded().root / "decrypted";
  fs::create_directories(plain);
  for (const auto& name : listed_) {
    auto bytes = read(recorded().dir, name);
    ASSERT_TRUE(bytes.ok()) << name << ": " << bytes.error().reason;
    write_file(plain / name, *bytes);
    auto frames = test::decode_video(plain / name);
    ASSERT_TRUE(frames.ok()) << name << ": " << frames.error().detail;
    EXPECT_EQ(frames->front().width, kWidth) << name;
    EXPECT_EQ(frames->front().height, kHeight) << name;
    // The test picture's top-left bar is light grey, far from black.
    EXPECT_GT(frames->front().mean_y(0, 0, kWidth / 16, kHeight / 2), 120) << name;
    auto rms = test::audio_rms(plain / name);
    ASSERT_TRUE(rms.ok()) << name << ": " << rms.error().detail;
    // A sine at volume 0.5 has an RMS of 0.35 (AAC keeps it close); silence would be 0.
    EXPECT_GT(*rms, 0.25) << name;
    EXPECT_LT(*rms, 0.45) << name;
  }
}

TEST_F(RecordingAtRest, TheFirstSegmentStartsWithAKeyFrameThoughTheRoomWasAlreadyRunning) {
  fs::path plain = recorded().root / "first.ts";
  auto bytes = read(recorded().dir, listed_.front());
  ASSERT_TRUE(bytes.ok());
  write_file(plain, *bytes);
  auto key = starts_with_key_frame(plain);
  ASSERT_TRUE(key.ok()) << key.error().detail;
  EXPECT_TRUE(*key);
}

TEST_F(RecordingAtRest, ThePlaylistListsEverySealedSegmentWithDurationsThatAddUpAndEnds) {
  std::string playlist = read_file(recorded().dir / "index.m3u8");
  auto served = read(recorded().dir, "index.m3u8");
  ASSERT_TRUE(served.ok());
  EXPECT_EQ(*served, playlist);
  EXPECT_TRUE(playlist.starts_with("#EXTM3U\n"));
  EXPECT_TRUE(playlist.ends_with("#EXT-X-ENDLIST\n")) << playlist;

  std::set<std::string> sealed;
  std::uint64_t sealed_bytes = 0;
  for (const auto& entry : fs::directory_iterator(recorded().dir)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".vseg")) {
      sealed.insert(name.substr(0, name.size() - 5));
      sealed_bytes += entry.file_size();
    }
  }
  EXPECT_EQ(sealed, std::set<std::string>(listed_.begin(), listed_.end()));
  EXPECT_EQ(recorded().segments, listed_.size());
  EXPECT_EQ(recorded().bytes, sealed_bytes);

  double listed_s = 0;
  std::size_t at = 0;
  while ((at = playlist.find("#EXTINF:", at)) != std::string::npos)
    listed_s += std::stod(playlist.substr(at += 8));
  EXPECT_NEAR(listed_s * 1000, static_cast<double>(recorded().duration_ms), 5.0 * listed_.size());
  // The recording runs from the first key frame after attaching to the end of stream sent by
  // finish(); the encoder's latency and the key frame wait make it a little shorter than the wall.
  EXPECT_GT(listed_s, recorded().wall_s - 1.5) << playlist;
  EXPECT_LT(listed_s, recorded().wall_s + 0.5) << playlist;
}

TEST_F(RecordingAtRest, TheRoomKeepsFlowingWhileTheRecordingJoinsAndLeaves) {
  // A tee blocked by a branch that is not running would stall the room (the webrtcbin trap).
  EXPECT_GT(static_cast<double>(recorded().room_frames_while_recording),
            0.6 * kFps * recorded().wall_s);
}

TEST_F(RecordingAtRest, AWrongKeyIsRefusedAsKeyInvalid) {
  for (const auto& wrong :
       {key_filled_with(0x00), key_filled_with(0x5a), SecretBytes::random(32)}) {
    auto bytes = read_recording_segment(recorded().dir, kRecordingId, listed_.front(), wrong);
    ASSERT_FALSE(bytes.ok());
    EXPECT_EQ(bytes.error().reason, "recording_key_invalid");
  }
  auto short_key =
      read_recording_segment(recorded().dir, kRecordingId, listed_.front(), key_filled_with(1, 16));
  ASSERT_FALSE(short_key.ok());
  EXPECT_EQ(short_key.error().reason, "recording_key_invalid");
}

TEST_F(RecordingAtRest, AFlippedByteAnywhereIsRefusedAsCorrupt) {
  fs::path copy = scratch_copy("flipped");
  const std::string& name = listed_.front();
  fs::path file = copy / (name + ".vseg");
  const std::string original = read_file(file);
  // Magic, version, the stream header, the first chunk, a middle chunk, the last byte.
  for (std::size_t at : {std::size_t{0}, std::size_t{7}, std::size_t{30}, kSealedHeaderBytes + 5,
                         original.size() / 2, original.size() - 1}) {
    std::string damaged = original;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
    write_file(file, damaged);
    auto bytes = read(copy, name);
    ASSERT_FALSE(bytes.ok()) << "flipped byte " << at;
    EXPECT_EQ(bytes.error().reason, "recording_corrupt") << "flipped byte " << at;
  }
  // The key check only tells a wrong key from damage: altered, it can only make a read fail.
  std::string damaged = original;
  damaged[10] = static_cast<char>(damaged[10] ^ 0x01);
  write_file(file, damaged);
  EXPECT_EQ(read(copy, name).error().reason, "recording_key_invalid");
}

TEST_F(RecordingAtRest, ATruncatedSegmentIsRefusedAsCorrupt) {
  fs::path copy = scratch_copy("truncated");
  std::string name = listed_.front();
  for (const auto& n : listed_) {
    if (fs::file_size(copy / (n + ".vseg")) > fs::file_size(copy / (name + ".vseg"))) name = n;
  }
  fs::path file = copy / (name + ".vseg");
  const std::string original = read_file(file);
  ASSERT_GT(original.size(), kSealedHeaderBytes + SegmentCipher::kChunkBytes + kTagBytes)
      << "more than one chunk";
  // Nothing, half a header, the header alone, exactly one whole chunk, mid-chunk, one byte short.
  for (std::size_t keep : {std::size_t{0}, std::size_t{20}, kSealedHeaderBytes,
                           kSealedHeaderBytes + SegmentCipher::kChunkBytes + kTagBytes,
                           original.size() / 2, original.size() - 1}) {
    write_file(file, original.substr(0, keep));
    auto bytes = read(copy, name);
    ASSERT_FALSE(bytes.ok()) << "kept " << keep;
    EXPECT_EQ(bytes.error().reason, "recording_corrupt") << "kept " << keep;
  }
  write_file(file, original + "x");
  EXPECT_EQ(read(copy, name).error().reason, "recording_corrupt") << "extended";
}

TEST_F(RecordingAtRest, ASegmentMovedToAnotherPositionIsRefused) {
  fs::path copy = scratch_copy("moved");
  fs::rename(copy / (listed_[1] + ".vseg"), copy / (listed_[0] + ".vseg"));
  auto bytes = read(copy, listed_[0]);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().reason, "recording_corrupt");
  EXPECT_EQ(read(copy, listed_[1]).error().reason, "not_found");
}

TEST_F(RecordingAtRest, ASegmentCopiedIntoAnotherRecordingIsRefused) {
  fs::path copy = scratch_copy("rec-other");
  // Same key (the same host's next live), another recording id.
  auto bytes = read_recording_segment(copy, "rec-other", listed_.front(), recorded().key);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().reason, "recording_corrupt");
  EXPECT_TRUE(read(copy, listed_.front()).ok()) << "the copy itself is intact";
}

TEST_F(RecordingAtRest, OnlyThePlaylistAndSegmentNamesCanBeRead) {
  for (std::string_view name :
       {"../index.m3u8", "/etc/passwd", "segment00000.ts.vseg", "segment0.ts", "segment00000.ts/..",
        "never-written/segment00000.ts", ""}) {
    auto bytes = read(recorded().dir, name);
    ASSERT_FALSE(bytes.ok()) << name;
    EXPECT_EQ(bytes.error().reason, "not_found") << name;
  }
}

TEST(SegmentCipher, RoundTripsSizesAroundTheChunkBoundaryExactly) {
  auto cipher = SegmentCipher::create(SecretBytes::random(32));
  ASSERT_TRUE(cipher.ok());
  ScratchDir scratch("veil-segment-cipher");
  const fs::path& dir = scratch.path;
  fs::create_directories(dir);
  constexpr std::size_t k = SegmentCipher::kChunkBytes;
  for (std::size_t size :
       {std::size_t{0}, std::size_t{1}, k - 1, k, k + 1, std::size_t{(1u << 20) + 3}}) {
    std::string plaintext = bytes_of_size(size);
    std::string name = "segment" + std::to_string(size) + ".ts";
    fs::path file = dir / (name + ".vseg");
    ASSERT_TRUE(cipher->seal_to_file(plaintext, file, {kRecordingId, name}).ok());
    std::size_t chunks = size == 0 ? 1 : (size + k - 1) / k;
    EXPECT_EQ(fs::file_size(file), kSealedHeaderBytes + size + chunks * kTagBytes) << size;
    auto opened = cipher->open_file(file, {kRecordingId, name});
    ASSERT_TRUE(opened.ok()) << size << ": " << opened.error().detail;
    EXPECT_TRUE(*opened == plaintext) << size;
  }
}

TEST(SegmentCipher, RefusesAKeyThatIsNot32BytesLong) {
  for (std::size_t size : {0, 16, 31, 33, 64}) {
    auto cipher = SegmentCipher::create(key_filled_with(7, size));
    ASSERT_FALSE(cipher.ok()) << size;
    EXPECT_EQ(cipher.error().reason, "recording_key_invalid") << size;
  }
}

TEST(SegmentCipher, ChunksReorderedDroppedOrRepeatedAreRefused) {
  auto cipher = SegmentCipher::create(SecretBytes::random(32));
  ASSERT_TRUE(cipher.ok());
  constexpr std::size_t k = SegmentCipher::kChunkBytes, sealed_chunk = k + kTagBytes;
  SegmentLabel label{kRecordingId, "segment00000.ts"};
  std::string sealed =
      cipher->seal(bytes_of_size(2 * k + 5), label);  // two full chunks and a final one
  std::string head = sealed.substr(0, kSealedHeaderBytes);
  std::string one = sealed.substr(kSealedHeaderBytes, sealed_chunk);
  std::string two = sealed.substr(kSealedHeaderBytes + sealed_chunk, sealed_chunk);
  std::string last = sealed.substr(kSealedHeaderBytes + 2 * sealed_chunk);
  ASSERT_TRUE(cipher->open(sealed, label).ok());
  for (const auto& damaged : {head + two + one + last, head + one + last, head + one + two,
                              head + one + two + last + last, head + one + one + two + last}) {
    auto opened = cipher->open(damaged, label);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.error().reason, "recording_corrupt");
  }
}

TEST(SegmentCipher, EverySealingIsFreshAndBoundToItsLabel) {
  auto cipher = SegmentCipher::create(key_filled_with(9));
  ASSERT_TRUE(cipher.ok());
  std::string plaintext = bytes_of_size(1000);
  std::string a = cipher->seal(plaintext, {kRecordingId, "segment00001.ts"});
  EXPECT_NE(a, cipher->seal(plaintext, {kRecordingId, "segment00001.ts"}))
      << "a new stream header every time";
  EXPECT_EQ(a.find(plaintext.substr(0, 64)), std::string::npos);
  EXPECT_EQ(cipher->open(a, {kRecordingId, "segment00002.ts"}).error().reason, "recording_corrupt");
  // The label's fields are length-delimited: moving a character from one to the other is another
  // label.
  std::string b = cipher->seal(plaintext, {"rec-1", "2segment.ts"});
  EXPECT_EQ(cipher->open(b, {"rec-12", "segment.ts"}).error().reason, "recording_corrupt");
  auto other = SegmentCipher::create(key_filled_with(10));
  EXPECT_EQ(other->open(a, {kRecordingId, "segment00001.ts"}).error().reason,
            "recording_key_invalid");
}

TEST(SegmentCipher, WritesAtomicallyAndForTheOwnerOnly) {
  auto cipher = SegmentCipher::create(SecretBytes::random(32));
  ASSERT_TRUE(cipher.ok());
  ScratchDir scratch("veil-segment-atomic");
  const fs::path& dir = scratch.path;
  fs::create_directories(dir);
  fs::path file = dir / "segment00000.ts.vseg";
  ASSERT_TRUE(
      cipher->seal_to_file(bytes_of_size(100'000), file, {kRecordingId, "segment00000.ts"}).ok());
  ASSERT_TRUE(cipher->seal_to_file(bytes_of_size(50), file, {kRecordingId, "segment00000.ts"})
                  .ok());  // replaces it
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"segment00000.ts.vseg"}) << "no temporary left behind";
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(cipher->open_file(file, {kRecordingId, "segment00000.ts"})->size(), 50u);

  Status missing_folder = cipher->seal_to_file("x", dir / "gone" / "segment00001.ts.vseg",
                                               {kRecordingId, "segment00001.ts"});
  EXPECT_FALSE(missing_folder.ok());
  EXPECT_FALSE(fs::exists(dir / "gone"));
  EXPECT_EQ(cipher->open_file(dir / "segment00009.ts.vseg", {kRecordingId, "segment00009.ts"})
                .error()
                .reason,
            "not_found");
}

TEST(RecordingBranch, FinishingAfterThePipelineStoppedKeepsTheClosedSegmentsAndEndsThePlaylist) {
  auto outputs = LiveOutputs::create();
  ASSERT_TRUE(outputs && outputs->play());
  ScratchDir scratch("veil-recording-stopped");
  const fs::path& dir = scratch.path;
  SecretBytes key = SecretBytes::random(32);
  auto branch = RecordingBranch::attach(outputs->bin(), outputs->video_tee(), outputs->audio_tee(),
                                        RecordingOptions{dir, kRecordingId, key.copy(), 1});
  ASSERT_TRUE(branch.ok()) << branch.error().detail;
  // Until a segment has been closed and sealed (a busy machine may take longer than a second).
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while ((*branch)->segments() < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_GE((*branch)->segments(), 1u);
  int children = outputs->children();
  // As if the room's pipeline went down first: no end of stream reaches the branch.
  outputs->stop();
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE((*branch)->finish().ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s)
      << "nothing to wait for once the pipeline has stopped";
  EXPECT_EQ(outputs->children(), children - 6) << "the branch's elements leave the pipeline";
  std::string playlist = read_file(dir / "index.m3u8");
  EXPECT_TRUE(playlist.ends_with("#EXT-X-ENDLIST\n")) << playlist;
  auto listed = test::listed_segments(dir / "index.m3u8");
  ASSERT_GE(listed.size(), 1u) << playlist;
  EXPECT_EQ(listed.size(), (*branch)->segments());
  for (const auto& name : listed) {
    auto bytes = read_recording_segment(dir, kRecordingId, name, key);
    EXPECT_TRUE(bytes.ok()) << name;
  }
}

TEST(RecordingBranch, AKeyThatIsNot32BytesLeavesThePipelineUntouched) {
  auto outputs = LiveOutputs::create();
  ASSERT_TRUE(outputs);
  int children = outputs->children();
  ScratchDir scratch("veil-recording-refused");
  const fs::path& dir = scratch.path;
  auto branch =
      RecordingBranch::attach(outputs->bin(), outputs->video_tee(), outputs->audio_tee(),
                              RecordingOptions{dir, kRecordingId, key_filled_with(3, 31), 4});
  ASSERT_FALSE(branch.ok());
  EXPECT_EQ(branch.error().reason, "recording_key_invalid");
  EXPECT_EQ(outputs->children(), children);
  EXPECT_FALSE(fs::exists(dir));
}

}  // namespace
}  // namespace veil::media
