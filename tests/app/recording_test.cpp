// Live recordings and clips through the HTTP API (C7, C8; [000] (3) 直播录像: voice and video,
// faces included, kept 60 days; hosts clip recordings into short videos), against a real server
// on SQLite and PostgreSQL. One live session with a host and a masked co-host is recorded; the
// tests look at what the disk holds, what the host replays and clips, what everyone else gets, what
// a shredded key leaves, and what the retention sweep leaves after 60 days.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "app/live_fixtures.hpp"
#include "app/retention.hpp"
#include "media/support/media_probe.hpp"
#include "media/support/webrtc_publisher.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class Recording : public ::testing::TestWithParam<store::Backend> {};

// Fine detail everywhere, so a blur shows: 8-pixel black and white squares.
const std::string kCheckers = "videotestsrc is-live=true pattern=checkers-8 ! video/x-raw,width=640,height=360,framerate=30/1";

// Plaintext media has structure a cipher hides: MPEG-TS puts the sync byte 0x47 every 188 bytes;
// MP4 opens with an ftyp box and fragmented MP4 has moof boxes.
bool looks_like_plain_media(const std::string& bytes) {
  constexpr std::size_t kPacket = 188, kPackets = 6;
  for (std::size_t offset = 0; bytes.size() >= offset + kPacket * kPackets && offset < kPacket; ++offset) {
    std::size_t synced = 0;
    while (synced < kPackets && bytes[offset + synced * kPacket] == 0x47) ++synced;
    if (synced == kPackets) return true;
  }
  return bytes.find("ftyp") != std::string::npos || bytes.find("moof") != std::string::npos;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

fs::path write_file(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
  return file;
}

// Mean absolute difference between horizontal neighbours in a tile's middle rows (each 16:9
// publisher is letterboxed into its half of the frame): high for sharp detail, near zero once
// blurred. videotestsrc's checkers are red and green, about 60 apart in luma.
double detail(const Picture& p, int x0, int width) {
  double sum = 0;
  std::size_t n = 0;
  for (int y = p.height / 3; y < p.height * 2 / 3; ++y)
    for (int x = x0 + 8; x < x0 + width - 9; ++x) {
      sum += std::abs(int(p.y[std::size_t(y * p.width + x)]) - int(p.y[std::size_t(y * p.width + x + 1)]));
      ++n;
    }
  return n == 0 ? 0 : sum / double(n);
}

std::vector<std::string> listed(const std::string& playlist) {
  std::vector<std::string> names;
  std::istringstream lines(playlist);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line[0] != '#') names.push_back(line);
  return names;
}

ApiReply whip(ApiServer& api, const std::string& room, const std::string& sdp, const std::string& token) {
  return api.send_raw("POST", "/api/v1/rooms/" + room + "/whip", sdp, "application/sdp", token);
}

TEST_P(Recording, AHostReplaysAndClipsTheirLiveWhichNoOneElseSeesAndWhichGoesAfter60Days) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13300134000", true);
  std::string room = api.post("/api/v1/rooms", {{"title", "录像测试"}}, host).body["room"]["id"];
  std::string host_token = api.post("/api/v1/rooms/" + room + "/live", json::object(), host).body["publish"]["token"];
  auto host_camera = WebRtcPublisher::create(PublisherOptions{kCheckers, "VP8", true}).value();
  ApiReply answer = whip(api, room, host_camera->offer().value(), host_token);
  ASSERT_EQ(answer.status, 201) << answer.raw;
  ASSERT_TRUE(host_camera->accept_answer(answer.raw).ok());

  // A masked co-host ([000] 面具连线): their picture is blurred in everything but the host's view.
  std::string guest = api.register_user("13300134001", {"login", "profile"});
  std::string request = api.post("/api/v1/rooms/" + room + "/cohost-requests", {{"masked", true}}, guest).body["request"]["id"];
  ASSERT_EQ(api.post("/api/v1/rooms/" + room + "/cohost-requests/" + request + "/decision", {{"approve", true}}, host).status, 200);
  std::string guest_token = api.post("/api/v1/rooms/" + room + "/publish-credential", json::object(), guest).body["publish"]["token"];
  auto guest_camera = WebRtcPublisher::create(PublisherOptions{kCheckers, "VP8", true}).value();
  ApiReply guest_answer = whip(api, room, guest_camera->offer().value(), guest_token);
  ASSERT_EQ(guest_answer.status, 201) << guest_answer.raw;
  ASSERT_TRUE(guest_camera->accept_answer(guest_answer.raw).ok());

  std::this_thread::sleep_for(std::chrono::seconds(13));
  ASSERT_EQ(api.post("/api/v1/rooms/" + room + "/end", json::object(), host).status, 200);

  // The books: one ready recording of the session, with the host and the masked co-host in it.
  ApiReply mine = api.get("/api/v1/recordings", host);
  ASSERT_EQ(mine.status, 200) << mine.raw;
  ASSERT_EQ(mine.body["recordings"].size(), 1u) << mine.raw;
  json recording = mine.body["recordings"][0];
  std::string id = recording["id"];
  EXPECT_EQ(recording["status"], "ready");
  EXPECT_EQ(recording["room_id"], room);
  EXPECT_GE(recording["duration_ms"].get<std::int64_t>(), 8000);
  EXPECT_EQ(recording["participants"], json::parse(R"([{"role":"host","masked":false},{"role":"cohost","masked":true}])"));

  // At rest: sealed segments and a playlist of names, nothing a media parser recognises.
  fs::path folder = api.data_dir() / "media" / "recordings" / id;
  std::size_t sealed = 0;
  for (const auto& e : fs::directory_iterator(folder)) {
    std::string name = e.path().filename().string();
    if (name == "index.m3u8") continue;
    EXPECT_TRUE(name.ends_with(".vseg")) << name;
    EXPECT_FALSE(looks_like_plain_media(read_file(e.path()))) << name << " holds plain media";
    ++sealed;
  }
  EXPECT_GE(sealed, 2u);

  // Replay: the playlist and its segments, decrypted as they are served, decode to the picture.
  std::string base = "/api/v1/recordings/" + id + "/hls/";
  ApiReply playlist = api.get(base + "index.m3u8", host);
  ASSERT_EQ(playlist.status, 200) << playlist.raw;
  EXPECT_NE(playlist.raw.find("#EXT-X-ENDLIST"), std::string::npos);
  auto segments = listed(playlist.raw);
  ASSERT_EQ(segments.size(), sealed);
  ApiReply segment = api.get(base + segments[1], host);
  ASSERT_EQ(segment.status, 200);
  EXPECT_EQ(segment.http.header("content-type"), "video/mp2t");
  EXPECT_TRUE(looks_like_plain_media(segment.raw));
  auto frames = decode_video(write_file(api.data_dir() / "replayed.ts", segment.raw));
  ASSERT_TRUE(frames.ok()) << frames.error().detail;
  ASSERT_GE(frames->size(), 60u);
  const Picture& frame = frames->back();
  ASSERT_EQ(frame.width, 640);
  // Side by side: the host's checkers stay sharp, the masked co-host's (no face in them: fail
  // closed, the whole picture) are blurred in the recording.
  double host_detail = detail(frame, 0, 320), guest_detail = detail(frame, 320, 320);
  EXPECT_GT(host_detail, 10) << "the host's own picture is recorded as it is";
  EXPECT_LT(guest_detail, host_detail / 10) << "the masked co-host is masked in the recording";

  // Nobody else: another person's session, no session, a made-up id.
  std::string other = api.register_user("13300134002", {"login"});
  EXPECT_EQ(api.get("/api/v1/recordings", other).body["recordings"].size(), 0u);
  EXPECT_EQ(api.get("/api/v1/recordings/" + id, other).error_code(), "not_found");
  EXPECT_EQ(api.get(base + "index.m3u8", other).status, 404);
  EXPECT_EQ(api.get(base + segments[1], other).status, 404);
  EXPECT_EQ(api.get(base + segments[1]).status, 401);
  EXPECT_EQ(api.get(base + "../../../veil.db", host).status, 404);
  EXPECT_EQ(api.get("/api/v1/recordings/0123456789abcdef0123456789abcdef/hls/index.m3u8", host).status, 404);
  EXPECT_EQ(api.call("DELETE", "/api/v1/recordings/" + id, std::nullopt, other).error_code(), "not_found");

  // Clips: bad ranges and titles are refused with their codes and store nothing.
  std::string clips = "/api/v1/recordings/" + id + "/clips";
  EXPECT_EQ(api.post(clips, {{"title", "太长"}, {"start_ms", 0}, {"end_ms", 61000}}, host).error_code(), "clip_too_long");
  EXPECT_EQ(api.post(clips, {{"title", "反了"}, {"start_ms", 4000}, {"end_ms", 2000}}, host).error_code(), "clip_range_invalid");
  EXPECT_EQ(api.post(clips, {{"title", "过头"}, {"start_ms", 50000}, {"end_ms", 60000}}, host).error_code(), "clip_range_invalid");
  EXPECT_EQ(api.post(clips, {{"title", "半秒"}, {"start_ms", 1.5}, {"end_ms", 3000}}, host).error_code(), "clip_range_invalid");
  EXPECT_EQ(api.post(clips, {{"title", " "}, {"start_ms", 1000}, {"end_ms", 3000}}, host).error_code(), "clip_title_invalid");
  EXPECT_EQ(api.post(clips, {{"title", "别人的"}, {"start_ms", 1000}, {"end_ms", 3000}}, other).error_code(), "not_found");
  EXPECT_EQ(api.row_counts()["clips"], 0);

  // A clip of four whole seconds: an MP4 of about that long, sealed at rest, the host's alone.
  ApiReply cut = api.post(clips, {{"title", "精彩片段"}, {"start_ms", 2000}, {"end_ms", 6000}}, host);
  ASSERT_EQ(cut.status, 201) << cut.raw;
  std::string clip = cut.body["clip"]["id"];
  EXPECT_EQ(cut.body["clip"]["title"], "精彩片段");
  // It opens on the last key frame at or before the asked start (the room makes one at least
  // every second), so it holds all four seconds asked for, and at most a second more.
  EXPECT_LE(cut.body["clip"]["start_ms"].get<std::int64_t>(), 2000);
  EXPECT_GE(cut.body["clip"]["start_ms"].get<std::int64_t>(), 1000);
  EXPECT_EQ(cut.body["clip"]["end_ms"].get<std::int64_t>(), 6000);
  EXPECT_GE(cut.body["clip"]["duration_ms"].get<std::int64_t>(), 3950);
  EXPECT_TRUE(cut.body["clip"]["published_at"].is_null());
  fs::path sealed_clip = api.data_dir() / "media" / "clips" / (clip + ".vclip");
  ASSERT_TRUE(fs::exists(sealed_clip));
  EXPECT_FALSE(looks_like_plain_media(read_file(sealed_clip)));

  std::string media = "/api/v1/clips/" + clip + "/media";
  ApiReply mp4 = api.get(media, host);
  ASSERT_EQ(mp4.status, 200) << mp4.raw;
  EXPECT_EQ(mp4.http.header("content-type"), "video/mp4");
  EXPECT_EQ(mp4.raw.substr(4, 4), "ftyp");
  auto clip_frames = decode_video(write_file(api.data_dir() / "clip.mp4", mp4.raw));
  ASSERT_TRUE(clip_frames.ok()) << clip_frames.error().detail;
  EXPECT_GE(clip_frames->size(), 4u * 30 - 2) << "four seconds at 30 fps, at least";
  EXPECT_LE(clip_frames->size(), 5u * 30 + 2) << "and at most a second more";
  auto sound = audio_rms(api.data_dir() / "clip.mp4");
  ASSERT_TRUE(sound.ok());
  EXPECT_GT(*sound, 0.01) << "the publishers' tone is in the clip";
  EXPECT_EQ(api.get(media, other).status, 404) << "unpublished: the host's alone";
  EXPECT_EQ(api.get(media).status, 404);
  EXPECT_EQ(api.get("/api/v1/clips/" + clip).status, 404);
  EXPECT_EQ(api.post("/api/v1/clips/" + clip + "/publish", {{"published", true}}, other).error_code(), "not_found");
  EXPECT_EQ(api.get("/api/v1/clips", host).body["clips"].size(), 1u);
  EXPECT_EQ(api.get("/api/v1/clips", other).body["clips"].size(), 0u);

  // Published, the clip page plays for anyone; unpublished again, it is gone for them.
  ApiReply published = api.post("/api/v1/clips/" + clip + "/publish", {{"published", true}}, host);
  ASSERT_EQ(published.status, 200) << published.raw;
  EXPECT_FALSE(published.body["clip"]["published_at"].is_null());
  EXPECT_EQ(api.get("/api/v1/clips/" + clip).body["clip"]["title"], "精彩片段");
  EXPECT_FALSE(api.get("/api/v1/clips/" + clip).body["clip"].contains("recording_id"));
  EXPECT_EQ(api.get(media).raw, mp4.raw);
  ASSERT_EQ(api.post("/api/v1/clips/" + clip + "/publish", {{"published", false}}, host).status, 200);
  EXPECT_EQ(api.get(media, other).status, 404);

  // 60 days ([000] (3)): a day before, the sweep leaves everything; after, rows and files are gone.
  api.advance_clock_seconds(59 * 24 * 3600);
  ASSERT_TRUE(app::sweep_retention(api.platform()).ok());
  EXPECT_EQ(api.row_counts()["recordings"], 1);
  EXPECT_TRUE(fs::exists(folder));
  EXPECT_TRUE(fs::exists(sealed_clip));
  api.advance_clock_seconds(2 * 24 * 3600);
  auto swept = app::sweep_retention(api.platform());
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(api.row_counts()["recordings"], 0);
  EXPECT_EQ(api.row_counts()["clips"], 0);
  EXPECT_EQ(api.row_counts()["recording_participants"], 0);
  EXPECT_FALSE(fs::exists(folder)) << "the recording's files go with its row";
  EXPECT_FALSE(fs::exists(sealed_clip)) << "and so do its clips'";
  EXPECT_EQ(swept->media_files.recordings, 1);
  EXPECT_EQ(swept->media_files.clips, 1);
}

// Destroying the host's key (what deleting their account does) leaves every segment and clip
// unreadable: replay answers a coded error, not the picture.
TEST_P(Recording, ShreddingTheHostsKeyMakesTheRecordingAndItsClipsUnreadable) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13300134010", true);
  std::string room = api.post("/api/v1/rooms", {{"title", "销毁测试"}}, host).body["room"]["id"];
  std::string token = api.post("/api/v1/rooms/" + room + "/live", json::object(), host).body["publish"]["token"];
  auto camera = WebRtcPublisher::create(PublisherOptions{solid_colour_source(0xff00ff00), "VP8", true}).value();
  ApiReply answer = whip(api, room, camera->offer().value(), token);
  ASSERT_EQ(answer.status, 201) << answer.raw;
  ASSERT_TRUE(camera->accept_answer(answer.raw).ok());
  std::this_thread::sleep_for(std::chrono::seconds(7));
  ASSERT_EQ(api.post("/api/v1/rooms/" + room + "/end", json::object(), host).status, 200);
  json recording = api.get("/api/v1/recordings", host).body["recordings"][0];
  std::string id = recording["id"];
  ASSERT_EQ(recording["status"], "ready");
  std::string base = "/api/v1/recordings/" + id + "/hls/";
  auto segments = listed(api.get(base + "index.m3u8", host).raw);
  ASSERT_FALSE(segments.empty());
  ApiReply before = api.get(base + segments.back(), host);
  ASSERT_EQ(before.status, 200);
  auto frames = decode_video(write_file(api.data_dir() / "before.ts", before.raw), 3);
  ASSERT_TRUE(frames.ok());
  EXPECT_GT(frames->back().mean_y(0, 0, 640, 360), 100) << "the publisher's green";
  ApiReply cut = api.post("/api/v1/recordings/" + id + "/clips", {{"title", "片段"}, {"start_ms", 1000}, {"end_ms", 3000}}, host);
  ASSERT_EQ(cut.status, 201) << cut.raw;
  std::string clip = cut.body["clip"]["id"];

  std::string account = api.get("/api/v1/me", host).body["id"];
  ASSERT_TRUE(api.platform().db().transaction([&](store::Session& s) {
    return api.platform().engine().vault().shred(s, account);
  }).ok());
  EXPECT_EQ(api.get(base + segments.back(), host).error_code(), "recording_key_invalid");
  EXPECT_EQ(api.get(base + "index.m3u8", host).error_code(), "recording_key_invalid");
  EXPECT_EQ(api.get("/api/v1/clips/" + clip + "/media", host).error_code(), "recording_key_invalid");
  EXPECT_EQ(api.post("/api/v1/recordings/" + id + "/clips", {{"title", "再剪"}, {"start_ms", 1000}, {"end_ms", 3000}}, host)
                .error_code(),
            "recording_key_invalid");
  EXPECT_EQ(api.get("/api/v1/clips", host).body["clips"].size(), 1u) << "the failed cut left no row";

  // The host may still delete what can no longer be played: rows and files go at once.
  EXPECT_EQ(api.call("DELETE", "/api/v1/recordings/" + id, std::nullopt, host).status, 204);
  EXPECT_FALSE(fs::exists(api.data_dir() / "media" / "recordings" / id));
  EXPECT_FALSE(fs::exists(api.data_dir() / "media" / "clips" / (clip + ".vclip")));
  EXPECT_EQ(api.get("/api/v1/recordings", host).body["recordings"].size(), 0u);
}

// A recording the process never closed (it stopped mid-live) is closed by the sweep once its
// session has been over ten minutes: with nothing recorded, its row and folder go.
TEST_P(Recording, ARecordingLeftRunningByAStoppedProcessIsClosedByTheSweep) {
  VEIL_START_API_SERVER(api, GetParam());
  std::string host = make_streamer(api, "13300134020", true);
  std::string room = api.post("/api/v1/rooms", {{"title", "中断测试"}}, host).body["room"]["id"];
  ASSERT_EQ(api.post("/api/v1/rooms/" + room + "/live", json::object(), host).status, 200);
  auto session = store::read<std::string>(api.platform().db(), [&](store::Session& s) -> Result<std::string> {
    auto rows = VEIL_TRY(s.query("SELECT id FROM live_sessions WHERE room_id = ?", {store::Value{room}}));
    return rows.at(0).text(0);
  });
  ASSERT_TRUE(session.ok());
  // What the media layer does when a session goes live; the process then stops before the end.
  auto begun = api.platform().recordings().begin(room, *session);
  ASSERT_TRUE(begun.ok());
  fs::path folder = api.data_dir() / "media" / begun->storage_path;
  fs::create_directories(folder);
  ASSERT_EQ(api.post("/api/v1/rooms/" + room + "/end", json::object(), host).status, 200);
  EXPECT_EQ(api.get("/api/v1/recordings", host).body["recordings"][0]["status"], "recording");

  ASSERT_TRUE(app::sweep_retention(api.platform()).ok());
  EXPECT_EQ(api.row_counts()["recordings"], 1) << "not before ten minutes: its node may still be closing it";
  api.advance_clock_seconds(11 * 60);
  auto swept = app::sweep_retention(api.platform());
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(swept->recordings_closed, 1);
  EXPECT_EQ(api.row_counts()["recordings"], 0);
  EXPECT_FALSE(fs::exists(folder));
}

VEIL_ON_BOTH_BACKENDS(Recording);

}  // namespace
}  // namespace veil::test
