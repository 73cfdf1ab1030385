#pragma once
// How a Veil server is configured: a TOML file (optional) and command-line flags over it. Secrets
// are never in the file itself: it names a file (0600) or an environment variable holding them.
#include <filesystem>
#include <string>
#include <vector>

#include "modules/live/round_policy.hpp"
#include "util/result.hpp"

namespace veil::app {

// An external service ([ARCHITECTURE] provider interfaces): the honest development provider, or
// the generic HTTP adapter configured by URL and a secret file (0600).
struct ProviderConfig {
  std::string provider = "dev";       // dev | http
  std::string url;                    // http: the service's URL
  std::filesystem::path secret_file;  // http: file with the signing secret
};

struct HostPort {
  std::string host;
  int port = 0;
};
// "host:port" (the port may be 0); errors: listen_address_invalid.
Result<HostPort> parse_host_port(const std::string& host_port);

struct Config {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::filesystem::path data_dir = "data";
  std::string database;               // empty: SQLite at <data_dir>/veil.db; else a libpq conninfo/URL
  std::filesystem::path resources;    // folder holding datamap/ and i18n/
  std::filesystem::path web_root;     // the built web app (web/dist)
  bool dev = false;                   // development endpoints (outbox, clock)
  int threads = 2;
  ProviderConfig sms;                 // [sms]: text messages
  ProviderConfig face;                // [face]: real-name and face verification
  ProviderConfig payment;             // [payment]: wallet recharges
  // [live] card_fields: the profile fields a signed-in viewer's presence card shows ([000]).
  std::vector<std::string> card_fields = {"nickname", "avatar_url"};
  // [live] redis = "host:port": rooms shared with other nodes through Redis; empty: this node only.
  std::string redis;
  // [live] round_hold_ms, round_from_viewers: when a busy room delivers its events in rounds
  // (round_policy.hpp); round_hold_ms = 0 sends every event at once.
  live::RoundPolicy rounds;

  // [media]: the audio/video pipeline (WHIP ingest, composition, HLS).
  struct Media {
    bool enabled = true;
    int video_kbps = 1000;  // the room output's H.264 bitrate
    bool webrtc = true;     // WebRTC viewers through Janus (a child process); false: HLS only
    int webrtc_viewers_per_room = 500;
    // WHEP players that send their own offer, answered by a webrtcbin of Veil's per viewer (dearer
    // than a Janus viewer): a cap of their own per room; beyond it they play HLS.
    int webrtcbin_viewers_per_room = 10;
    // OBS and other RTMP encoders through nginx-rtmp (a child process); rtmp_listen = "host:port"
    // (port 0: any free one). rtmp_url is what the studio tells encoders to connect to, for when
    // they reach this machine by another name; empty: rtmp://<rtmp_listen>/live.
    bool rtmp = true;
    std::string rtmp_host = "127.0.0.1";
    int rtmp_port = 1935;
    std::string rtmp_url;
  } media;

  static Result<Config> load_file(const std::filesystem::path& path);
  Status set_listen(const std::string& host_port);
  Status set_rtmp_listen(const std::string& host_port);
  // Fills resources/web_root when not given: the working directory if it holds datamap/, else
  // the source tree this binary was built from.
  void resolve_defaults();
};

}  // namespace veil::app
