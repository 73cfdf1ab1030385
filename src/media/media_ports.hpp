#pragma once
// What the media layer asks of the rest of Veil, as interfaces the app implements: media never
// includes a module or the engine (STYLE 15), and could run on its own node behind these same
// calls made over HTTP.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.hpp"
#include "util/secret_bytes.hpp"

namespace veil::media {

// A publish credential, as the room's control plane granted it.
struct PublisherGrant {
  std::string grant_id, room_id, session_id;
  std::string account_id;  // pseudonymous; never logged
  std::string role;        // host | cohost
  bool masked = false;     // [000] 面具连线: the face is hidden from everyone but the host
};

// How a stream comes in: a browser by WHIP, starting with a fresh credential each time, or an
// encoder (OBS) by RTMP, which reconnects by itself with the stream key it was once given.
enum class Ingest { Whip, Rtmp };

class PublishAuthority {
 public:
  virtual ~PublishAuthority() = default;
  // The grant behind a credential for this room now, or publish_denied (403).
  virtual Result<PublisherGrant> check(const std::string& room_id, std::string_view token, Ingest via) = 0;
  // Whether the grant's holder may still publish in its session: false once the room has ended
  // or the grant was revoked (a co-host ended). Asked every second for each publisher.
  virtual Result<bool> still_allowed(const PublisherGrant& grant) = 0;
};

// Who watches a room over WebRTC, as it changes, so that the room's viewer count includes them.
// `viewer` is the caller's pseudonym for the person in the room (the one the room's channel uses),
// so a person with both the player and the chat open counts once. Called with the media layer's
// lock held: an implementation never calls back into media.
class AudienceListener {
 public:
  virtual ~AudienceListener() = default;
  virtual void watching(const std::string& room_id, const std::string& resource_id, const std::string& viewer) = 0;
  // Any way a viewer goes: DELETE, its peer vanished, Janus restarted, the room ended.
  virtual void stopped_watching(const std::string& room_id, const std::string& resource_id) = 0;
};

// Where a live session's recording goes and the key it is sealed under, as the app hands it over.
struct RecordingPlan {
  std::string recording_id;   // pseudonymous; bound into every sealed segment
  SecretBytes key;            // 32 random bytes, kept by the app sealed under the host's own key
  std::filesystem::path dir;  // an empty or missing folder of its own
};

enum class RecordingOutcome { Ready, Failed };

// The books of a live session's recording ([000] (3) 直播录像: voice and video, faces included,
// kept 60 days). The media layer records the composed output, so a masked co-host is masked in it.
class RecordingKeeper {
 public:
  virtual ~RecordingKeeper() = default;
  // A new recording for the room's live session. On an error the room goes live unrecorded.
  virtual Result<RecordingPlan> begin(const std::string& room_id, const std::string& session_id) = 0;
  // Someone went on air in the recording (a host, a co-host; `masked`: their face is blurred).
  virtual Status participant(const std::string& recording_id, const PublisherGrant& grant) = 0;
  // The recording has ended: what is sealed on disk, and whether it all was written.
  virtual Status finish(const std::string& recording_id, std::int64_t duration_ms, std::uint64_t bytes,
                        RecordingOutcome outcome) = 0;
};

}  // namespace veil::media
