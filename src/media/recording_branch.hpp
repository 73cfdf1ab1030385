#pragma once
// A live session's recording ([000] (3): voice and video, faces included, kept 60 days), cut into
// HLS segments on the room's key frames and sealed under the host's recording key before anything
// touches the disk.
//
// hlssink2 muxes the room's encoded picture and sound into MPEG-TS fragments, but every fragment
// and playlist it writes goes into memory (its get-fragment-stream / get-playlist-stream signals);
// once hlssink2 has listed a fragment it is complete, and it is sealed with SegmentCipher into
// `<dir>/<name>.vseg` off the streaming thread. The folder then holds only sealed segments and
// `index.m3u8`, a plain playlist of segment names and durations that lists a segment only once its
// sealed file is in place.
#include <gio/gio.h>
#include <gst/gst.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "media/gst_support.hpp"
#include "media/segment_cipher.hpp"
#include "util/result.hpp"
#include "util/secret_bytes.hpp"

namespace veil::media {

struct RecordingOptions {
  std::filesystem::path dir;  // made if missing; must not hold a recording already
  std::string recording_id;   // pseudonymous; bound into every segment
  SecretBytes key;  // the host's recording key (32 bytes), as the app's vault hands it over
  int segment_seconds = 4;
};

class RecordingBranch {
 public:
  // Hangs a recording off a pipeline's encoded outputs: `video_tee` carries H.264 byte-stream
  // (after h264parse), `audio_tee` raw S16LE 48 kHz stereo. The pipeline may already be running;
  // the recording then starts at the next key frame, which it asks the encoder for.
  static Result<std::unique_ptr<RecordingBranch>> attach(GstBin& pipeline, GstElement* video_tee,
                                                         GstElement* audio_tee,
                                                         RecordingOptions options);
  // finish() if it has not been called.
  ~RecordingBranch();
  RecordingBranch(const RecordingBranch&) = delete;
  RecordingBranch& operator=(const RecordingBranch&) = delete;

  // Detaches from the tees while the pipeline runs on: the last segment is closed, sealed and
  // listed, and the playlist gets #EXT-X-ENDLIST. The first error met while recording (a segment
  // that could not be written), if any; later calls return the same.
  Status finish();

  // What is sealed on disk and listed so far.
  std::int64_t duration_ms() const;
  std::uint64_t bytes() const;  // sealed bytes
  std::size_t segments() const;

 private:
  struct SealJob {
    std::string name;
    std::string plaintext;
    double duration_s = 0;
  };
  struct Listed {
    std::string name;
    double duration_s = 0;
    bool after_gap = false;  // a segment before it could not be written
  };
  struct GObjectUnref {
    void operator()(gpointer object) const { g_object_unref(object); }
  };
  using StreamRef = std::unique_ptr<GOutputStream, GObjectUnref>;

  RecordingBranch(RecordingOptions options, SegmentCipher cipher);
  Status build(GstBin& pipeline, GstElement* video_tee, GstElement* audio_tee);
  void detach_from_tees();
  void stop_elements();

  // hlssink2's callbacks, on its streaming threads.
  static GOutputStream* on_fragment_stream(GstElement* sink, const gchar* location, gpointer self);
  static GOutputStream* on_playlist_stream(GstElement* sink, const gchar* location, gpointer self);
  static void on_playlist_released(gpointer self, GObject* stream, gboolean is_last_ref);
  void take_listed_fragments(std::string_view playlist);

  void write_segments();                          // the writer thread
  std::string render_playlist(bool ended) const;  // with mutex_ held

  RecordingOptions options_;  // its key has moved into cipher_
  const SegmentCipher cipher_;

  GstRef<GstElement> pipeline_;
  GstRef<GstElement> video_tee_, audio_tee_;
  GstRef<GstPad> video_tee_pad_, audio_tee_pad_;  // requested from the tees
  GstElement* video_queue_ = nullptr;
  GstElement* audio_queue_ = nullptr;
  GstElement* hls_ = nullptr;
  std::vector<GstElement*> elements_;  // ours, owned by the pipeline's bin
  bool attached_ = false;              // linked to both tees
  bool finished_ = false;              // finish() is called from one thread

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  std::map<std::string, StreamRef> fragments_;  // handed to hlssink2, not listed yet
  std::set<std::string> taken_;                 // listed by hlssink2 and queued for sealing
  std::deque<SealJob> jobs_;
  bool hls_ended_ = false;  // hlssink2 wrote its end-of-list playlist
  bool stop_writer_ = false;
  std::vector<Listed> listed_;  // sealed on disk, in order
  bool gap_pending_ = false;
  std::int64_t duration_ms_ = 0;
  std::uint64_t bytes_ = 0;
  Status first_error_;
  std::thread writer_;
};

// A segment a recording's playlist lists, placed on the recording's timeline (the sum of the
// durations before it).
struct RecordedSegment {
  std::string name;
  std::int64_t start_ms = 0, duration_ms = 0;
};
// Every segment `dir`'s playlist lists, in order; not_found when it has no playlist.
Result<std::vector<RecordedSegment>> recorded_segments(const std::filesystem::path& dir);

// For replay through Veil: `name` is "index.m3u8" (the playlist, as it is on disk) or a segment the
// playlist lists (its decrypted MPEG-TS bytes). not_found for any other name or a missing file;
// recording_key_invalid / recording_corrupt as SegmentCipher::open.
Result<std::string> read_recording_segment(const std::filesystem::path& dir,
                                           std::string_view recording_id, std::string_view name,
                                           const SecretBytes& key);

}  // namespace veil::media
