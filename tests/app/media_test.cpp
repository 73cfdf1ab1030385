// WHIP publishing and HLS playback through the HTTP API (C2, C3, C6), against a real server on
// SQLite and PostgreSQL: a host's publish credential opens WHIP, the room's HLS plays what was
// sent, and neither a viewer's ticket nor a login session nor an ended grant can publish.
#include <gtest/gtest.h>

#include <opencv2/objdetect.hpp>

#include <csignal>
#include <fstream>
#include <thread>

#include "app/live_fixtures.hpp"
#include "media/support/media_probe.hpp"
#include "media/face_detector.hpp"
#include "media/janus_server.hpp"
#include "media/support/webrtc_publisher.hpp"
#include "media/support/webrtc_viewer.hpp"
#include "app/room_client.hpp"
#include "support/process_lookup.hpp"

namespace veil::test {
namespace {

using nlohmann::json;
class Media : public ::testing::TestWithParam<store::Backend> {};

struct LiveRoom {
  std::string host, room, publish_token;
};

LiveRoom go_live(ApiServer& api, const std::string& phone, int id_seq = 321) {
  LiveRoom l;
  l.host = make_streamer(api, phone, true, id_seq);
  l.room = api.post("/api/v1/rooms", {{"title", "音视频测试"}}, l.host).body["room"]["id"];
  l.publish_token = api.post("/api/v1/rooms/" + l.room + "/live", json::object(), l.host).body["publish"]["token"];
  return l;
}

std::string offer() {
  PublisherOptions o;
  o.video = solid_colour_source(0xff00ff00);  // green
  static std::vector<std::unique_ptr<WebRtcPublisher>> keep;  // the offer stays answerable for the test's life
  keep.push_back(WebRtcPublisher::create(o).value());
  return keep.back()->offer().value();
}

ApiReply whip(ApiServer& api, const std::string& room, const std::string& sdp, const std::string& token,
              const std::string& type = "application/sdp") {
  return api.send_raw("POST", "/api/v1/rooms/" + room + "/whip", sdp, type, token);
}

// Polls the room's playlist over HTTP until it lists `count` segments.
std::vector<std::string> wait_for_segments(ApiServer& api, const std::string& room, std::size_t count) {
  for (int i = 0; i < 150; ++i) {
    ApiReply playlist = api.get("/api/v1/rooms/" + room + "/hls/index.m3u8");
    std::vector<std::string> names;
    std::istringstream lines(playlist.raw);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty() && line[0] != '#') names.push_back(line);
    if (playlist.status == 200 && names.size() >= count) return names;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return {};
}

TEST_P(Media, AHostPublishesByWhipAndTheRoomPlaysItByHls) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom live = go_live(api, "13300133000");
  auto publisher = WebRtcPublisher::create(PublisherOptions{solid_colour_source(0xff00ff00), "VP8", true}).value();
  ApiReply answer = whip(api, live.room, publisher->offer().value(), live.publish_token);
  ASSERT_EQ(answer.status, 201) << answer.raw;
  EXPECT_EQ(answer.http.header("content-type"), "application/sdp");
  std::string location = answer.http.header("location");
  ASSERT_EQ(location.rfind("/api/v1/rooms/" + live.room + "/whip/", 0), 0u) << location;
  ASSERT_TRUE(publisher->accept_answer(answer.raw).ok());

  EXPECT_EQ(api.get("/healthz").body["media"]["publishers"], 1);
  EXPECT_NE(api.get("/metrics").raw.find("veil_media_publishers 1\n"), std::string::npos);
  auto segments = wait_for_segments(api, live.room, 3);
  ASSERT_GE(segments.size(), 3u);
  ApiReply segment = api.get("/api/v1/rooms/" + live.room + "/hls/" + segments.back());
  ASSERT_EQ(segment.status, 200);
  EXPECT_EQ(segment.http.header("content-type"), "video/mp2t");
  auto file = api.data_dir() / "fetched.ts";
  std::ofstream(file, std::ios::binary) << segment.raw;
  auto frames = decode_video(file, 3);
  ASSERT_TRUE(frames.ok());
  EXPECT_GT(frames.value().back().mean_y(0, 0, 640, 360), 100) << "the publisher's green, not the empty room's black";

  EXPECT_EQ(api.call("DELETE", location).status, 200);
  EXPECT_EQ(api.call("DELETE", location).error_code(), "not_found");
  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/end", json::object(), live.host).status, 200);
  EXPECT_EQ(api.get("/api/v1/rooms/" + live.room + "/hls/index.m3u8").status, 404) << "an ended room has no output";
}

// WHEP, server-offer exchange: Janus offers, the viewer answers at the resource (docs/api.md).
TEST_P(Media, AnAnonymousViewerWatchesOverWebRtcThroughJanus) {
  auto ice = media::default_ice_interface();
  ASSERT_TRUE(ice.ok()) << "Janus 1.1.2 gathers ICE on a non-loopback interface only";
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom live = go_live(api, "13300133004");
  auto publisher = WebRtcPublisher::create(PublisherOptions{solid_colour_source(0xff00ff00), "VP8", true}).value();
  ApiReply published = whip(api, live.room, publisher->offer().value(), live.publish_token);
  ASSERT_EQ(published.status, 201) << published.raw;
  ASSERT_TRUE(publisher->accept_answer(published.raw).ok());

  std::string ticket = api.post("/api/v1/rooms/" + live.room + "/watch", json::object()).body["token"];
  EXPECT_EQ(api.send_raw("POST", "/api/v1/rooms/" + live.room + "/whep", "", "", "forged").error_code(), "watch_token_invalid");
  ApiReply offered = api.send_raw("POST", "/api/v1/rooms/" + live.room + "/whep", "", "", ticket);
  ASSERT_EQ(offered.status, 201) << offered.raw;
  EXPECT_EQ(offered.http.header("content-type"), "application/sdp");
  std::string resource = offered.http.header("location");
  ASSERT_EQ(resource.rfind("/api/v1/rooms/" + live.room + "/whep/", 0), 0u) << resource;

  ViewerOptions options;
  options.local_addresses = {ice->address};  // Janus gathers on this address, never on loopback
  auto viewer = WebRtcViewer::create(options).value();
  std::string answer = viewer->answer(offered.raw).value();
  EXPECT_EQ(api.send_raw("PATCH", resource, "not sdp", "application/sdp").error_code(), "janus_sdp_invalid");
  ASSERT_EQ(api.send_raw("PATCH", resource, answer, "application/sdp").status, 204);
  ASSERT_TRUE(viewer->wait_for_frames(30, std::chrono::seconds(20))) << viewer->describe();
  auto frame = viewer->last_frame();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->width, 640);
  EXPECT_EQ(frame->height, 360);
  EXPECT_EQ(api.get("/healthz").body["media"]["webrtc_viewers"], 1);

  // Viewer counts include media viewers, each person once.
  const std::string room = "/api/v1/rooms/" + live.room;
  EXPECT_EQ(api.get(room).body["room"]["viewers"], 1) << "the WebRTC viewer counts";
  RoomClient same_person(api.port(), live.room);
  same_person.send({{"type", "join"}, {"ticket", ticket}});
  ASSERT_TRUE(same_person.next("welcome"));
  EXPECT_EQ(api.get(room).body["room"]["viewers"], 1) << "the same ticket in the chat is the same person";
  RoomClient someone_else(api.port(), live.room);
  someone_else.send({{"type", "join"}, {"ticket", api.post(room + "/watch", json::object()).body["token"]}});
  ASSERT_TRUE(someone_else.next("welcome"));
  EXPECT_EQ(api.get(room).body["room"]["viewers"], 2);

  EXPECT_EQ(api.call("DELETE", resource).status, 200);
  EXPECT_EQ(api.call("DELETE", resource).error_code(), "not_found");
  EXPECT_EQ(api.get(room).body["room"]["viewers"], 2) << "still in the chat";
}

// WHEP as standard players do it: the player's own offer, answered by a webrtcbin of Veil's.
TEST_P(Media, APlayersOwnOfferIsAnsweredByVeilUpToTheRoomsCap) {
  VEIL_START_API_SERVER(api, GetParam(), true, [](app::Config& c) { c.media.webrtcbin_viewers_per_room = 1; });
  LiveRoom live = go_live(api, "13300133009");
  auto publisher = WebRtcPublisher::create(PublisherOptions{solid_colour_source(0xff00ff00), "VP8", true}).value();
  ApiReply published = whip(api, live.room, publisher->offer().value(), live.publish_token);
  ASSERT_EQ(published.status, 201) << published.raw;
  ASSERT_TRUE(publisher->accept_answer(published.raw).ok());
  std::string ticket = api.post("/api/v1/rooms/" + live.room + "/watch", json::object()).body["token"];
  const std::string whep = "/api/v1/rooms/" + live.room + "/whep";
  auto player = [] {
    ViewerOptions options;
    options.local_addresses = {};  // where Veil's webrtcbin gathers: this machine's interfaces
    return WebRtcViewer::create(options).value();
  };

  auto viewer = player();
  std::string offer = viewer->offer().value();
  EXPECT_EQ(api.send_raw("POST", whep, offer, "application/sdp", "forged").error_code(), "watch_token_invalid");
  EXPECT_EQ(api.send_raw("POST", whep, offer, "text/plain", ticket).error_code(), "sdp_content_type");
  ApiReply answered = api.send_raw("POST", whep, offer, "application/sdp", ticket);
  ASSERT_EQ(answered.status, 201) << answered.raw;
  EXPECT_EQ(answered.http.header("content-type"), "application/sdp");
  std::string resource = answered.http.header("location");
  ASSERT_EQ(resource.rfind(whep + "/", 0), 0u) << resource;
  EXPECT_NE(answered.raw.find("a=candidate:"), std::string::npos) << "every candidate: no trickle";
  ASSERT_TRUE(viewer->accept_answer(answered.raw).ok());
  ASSERT_TRUE(viewer->wait_for_frames(30, std::chrono::seconds(20))) << viewer->describe();
  auto frame = viewer->last_frame();
  ASSERT_TRUE(frame);
  ASSERT_EQ(frame->width, 640);
  double luma = 0;
  for (int i = 0; i < 640 * 360; ++i) luma += frame->i420[static_cast<std::size_t>(i)];
  EXPECT_GT(luma / (640 * 360), 100) << "the publisher's green, not the empty room's black";
  EXPECT_EQ(api.get("/healthz").body["media"]["webrtc_viewers"], 1);
  EXPECT_EQ(api.get("/api/v1/rooms/" + live.room).body["room"]["viewers"], 1) << "its viewer counts";

  EXPECT_EQ(api.send_raw("POST", whep, player()->offer().value(), "application/sdp", ticket).error_code(), "whep_full");
  std::string vp8_only =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n"
      "a=rtpmap:96 VP8/90000\r\na=recvonly\r\n";
  ApiReply refused = api.send_raw("POST", whep, vp8_only, "application/sdp", ticket);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.error_code(), "whep_codec_unsupported");

  EXPECT_EQ(api.call("DELETE", resource).status, 200);
  EXPECT_EQ(api.get("/healthz").body["media"]["webrtc_viewers"], 0);
  EXPECT_EQ(api.get("/api/v1/rooms/" + live.room).body["room"]["viewers"], 0) << "and leaves the count with it";
  EXPECT_EQ(api.call("DELETE", resource).error_code(), "not_found");
  auto next = player();
  ApiReply again = api.send_raw("POST", whep, next->offer().value(), "application/sdp", ticket);
  ASSERT_EQ(again.status, 201) << "the place is free again: " << again.raw;
  ASSERT_TRUE(next->accept_answer(again.raw).ok());
  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/end", json::object(), live.host).status, 200);
  EXPECT_EQ(api.get("/healthz").body["media"]["webrtc_viewers"], 0) << "the room's end ends its viewers";
  EXPECT_EQ(api.call("DELETE", again.http.header("location")).error_code(), "not_found");
}

TEST_P(Media, OnlyALiveGrantPublishesNeverATicketOrALoginSession) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom live = go_live(api, "13300133001");
  std::string sdp = offer();
  std::string ticket = api.post("/api/v1/rooms/" + live.room + "/watch", json::object()).body["token"];
  EXPECT_EQ(whip(api, live.room, sdp, ticket).error_code(), "publish_denied") << "a viewer's ticket";
  EXPECT_EQ(whip(api, live.room, sdp, live.host).error_code(), "publish_denied") << "the host's login session";
  EXPECT_EQ(whip(api, live.room, sdp, "").error_code(), "publish_denied");
  EXPECT_EQ(whip(api, live.room, sdp, live.publish_token, "application/json").error_code(), "sdp_content_type");
  EXPECT_EQ(whip(api, live.room, "v=0\r\ngarbage", live.publish_token).error_code(), "sdp_invalid");
  EXPECT_EQ(whip(api, live.room, std::string(40000, 'a'), live.publish_token).status, 413);
  EXPECT_EQ(api.get("/api/v1/rooms/" + live.room + "/hls/index.m3u8").status, 404) << "nothing was started";

  // Another person's room: this room's credential publishes nothing there, and this room's
  // viewing ticket watches nothing there.
  LiveRoom other = go_live(api, "13300133005", 322);  // another person: another ID number
  EXPECT_EQ(whip(api, other.room, sdp, live.publish_token).error_code(), "publish_denied");
  EXPECT_EQ(api.send_raw("POST", "/api/v1/rooms/" + other.room + "/whep", "", "", ticket).error_code(), "watch_token_invalid");
  EXPECT_EQ(api.call("DELETE", "/api/v1/rooms/" + other.room + "/whip/0123456789abcdef0123456789abcdef").error_code(), "not_found");

  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/end", json::object(), live.host).status, 200);
  EXPECT_EQ(whip(api, live.room, sdp, live.publish_token).error_code(), "publish_denied") << "ending revokes the grant";
}

TEST_P(Media, ACoHostWhoseRequestEndedCannotPublishAgain) {
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom live = go_live(api, "13300133002");
  std::string guest = api.register_user("13300133003", {"login", "profile"});
  std::string request = api.post("/api/v1/rooms/" + live.room + "/cohost-requests", json::object(), guest).body["request"]["id"];
  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/decision", {{"approve", true}}, live.host).status,
            200);
  std::string token = api.post("/api/v1/rooms/" + live.room + "/publish-credential", json::object(), guest).body["publish"]["token"];
  auto publisher = WebRtcPublisher::create().value();
  ApiReply answer = whip(api, live.room, publisher->offer().value(), token);
  ASSERT_EQ(answer.status, 201) << answer.raw;
  EXPECT_EQ(api.get("/healthz").body["media"]["publishers"], 1);
  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/end", json::object(), guest).status, 200);
  EXPECT_EQ(whip(api, live.room, offer(), token).error_code(), "publish_denied");
  // The media watchdog sees the revoked grant within a second and takes the picture out.
  for (int i = 0; i < 30 && api.get("/healthz").body["media"]["publishers"] != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(api.get("/healthz").body["media"]["publishers"], 0);
}

// [000] 面具连线: the unmasked picture of a masked co-host opens for the host's session alone.
TEST_P(Media, OnlyTheHostOpensTheMaskedCoHostsUnmaskedView) {
  ASSERT_TRUE(media::default_ice_interface().ok()) << "Janus 1.1.2 gathers ICE on a non-loopback interface only";
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom live = go_live(api, "13300133006");
  std::string guest = api.register_user("13300133007", {"login", "profile"});
  std::string other = api.register_user("13300133008", {"login", "profile"});
  std::string request = api.post("/api/v1/rooms/" + live.room + "/cohost-requests", {{"masked", true}}, guest).body["request"]["id"];
  std::string view = "/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/whep";
  EXPECT_EQ(api.send_raw("POST", view, "", "", live.host).error_code(), "not_found") << "not approved yet";
  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/decision", {{"approve", true}}, live.host).status,
            200);
  EXPECT_EQ(api.send_raw("POST", view, "", "", live.host).error_code(), "not_found") << "approved, not publishing yet";
  std::string token = api.post("/api/v1/rooms/" + live.room + "/publish-credential", json::object(), guest).body["publish"]["token"];
  auto publisher = WebRtcPublisher::create().value();
  ApiReply published = whip(api, live.room, publisher->offer().value(), token);
  ASSERT_EQ(published.status, 201) << published.raw;
  ASSERT_TRUE(publisher->accept_answer(published.raw).ok());

  EXPECT_EQ(api.send_raw("POST", view, "", "", guest).error_code(), "not_found") << "the co-host is not the host";
  EXPECT_EQ(api.send_raw("POST", view, "", "", other).error_code(), "not_found") << "nor is anyone else";
  std::string ticket = api.post("/api/v1/rooms/" + live.room + "/watch", json::object()).body["token"];
  EXPECT_EQ(api.send_raw("POST", view, "", "", ticket).status, 401) << "a viewing ticket is no login";
  ApiReply offered = api.send_raw("POST", view, "", "", live.host);
  ASSERT_EQ(offered.status, 201) << offered.raw;
  EXPECT_NE(offered.raw.find("m=video"), std::string::npos);
  EXPECT_EQ(offered.raw.find("m=audio"), std::string::npos) << "the picture only: the sound is in the room's mix";
  EXPECT_EQ(api.call("DELETE", offered.http.header("location")).status, 200);

  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/end", json::object(), live.host).status, 200);
  for (int i = 0; i < 30 && api.get("/healthz").body["media"]["publishers"] != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(api.send_raw("POST", view, "", "", live.host).error_code(), "not_found") << "the view ends with the co-host";
}

// Frames a WHEP viewer of `offer` (an offer of Janus's, answered at `resource`) decodes: the
// newest once `count` have arrived.
std::optional<ViewerFrame> watch_through_janus(ApiServer& api, const ApiReply& offered, int count,
                                               std::vector<std::unique_ptr<WebRtcViewer>>& keep) {
  ViewerOptions options;
  options.local_addresses = {media::default_ice_interface()->address};
  keep.push_back(WebRtcViewer::create(options).value());
  WebRtcViewer& viewer = *keep.back();
  auto answer = viewer.answer(offered.raw);
  if (!answer.ok() || api.send_raw("PATCH", offered.http.header("location"), answer.value(), "application/sdp").status != 204) return {};
  if (!viewer.wait_for_frames(count, std::chrono::seconds(20))) return {};
  return viewer.last_frame();
}

bool shows_a_face(const ViewerFrame& f) {
  cv::CascadeClassifier cascade(media::kFrontalFaceCascade);
  cv::Mat y(f.height, f.width, CV_8UC1, const_cast<std::uint8_t*>(f.i420.data()));
  std::vector<cv::Rect> faces;
  cascade.detectMultiScale(y, faces);
  return !faces.empty();
}

// Bad input: Janus dies while a room with a masked co-host is live. Only its WebRTC viewers drop:
// the room, its chat and its HLS output carry on, Janus is restarted with the room's mountpoints,
// and afterwards a new viewer sees the co-host masked while the host alone sees the face again.
TEST_P(Media, KillingJanusDropsOnlyItsViewersAndTheRoomComesBackMasked) {
  ASSERT_TRUE(media::default_ice_interface().ok()) << "Janus 1.1.2 gathers ICE on a non-loopback interface only";
  VEIL_START_API_SERVER(api, GetParam());
  LiveRoom live = go_live(api, "13300133009");
  const std::string kMessi = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";  // a face
  std::string guest = api.register_user("13300133010", {"login", "profile"});
  std::string request = api.post("/api/v1/rooms/" + live.room + "/cohost-requests", {{"masked", true}}, guest).body["request"]["id"];
  ASSERT_EQ(api.post("/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/decision", {{"approve", true}}, live.host).status,
            200);
  std::string token = api.post("/api/v1/rooms/" + live.room + "/publish-credential", json::object(), guest).body["publish"]["token"];
  auto publisher = WebRtcPublisher::create(PublisherOptions{still_picture_source(kMessi), "VP8", false}).value();
  ApiReply published = whip(api, live.room, publisher->offer().value(), token);
  ASSERT_EQ(published.status, 201) << published.raw;
  ASSERT_TRUE(publisher->accept_answer(published.raw).ok());
  auto chat = std::make_unique<RoomClient>(api.port(), live.room);
  chat->send({{"type", "join"}, {"ticket", api.post("/api/v1/rooms/" + live.room + "/watch", json::object()).body["token"]}});
  ASSERT_TRUE(chat->next("welcome"));

  std::vector<std::unique_ptr<WebRtcViewer>> viewers;
  std::string ticket = api.post("/api/v1/rooms/" + live.room + "/watch", json::object()).body["token"];
  ApiReply before = api.send_raw("POST", "/api/v1/rooms/" + live.room + "/whep", "", "", ticket);
  ASSERT_EQ(before.status, 201) << before.raw;
  ASSERT_TRUE(watch_through_janus(api, before, 30, viewers));
  const std::size_t segments_before = wait_for_segments(api, live.room, 1).size();
  EXPECT_EQ(api.get("/api/v1/rooms/" + live.room).body["room"]["viewers"], 2) << "the chat's viewer and Janus's";

  auto janus = process_mentioning("janus", "--configs-folder=" + api.data_dir().string());
  ASSERT_TRUE(janus) << "veil serve runs Janus under its data directory";
  ASSERT_EQ(::kill(*janus, SIGKILL), 0);
  auto host_chat = std::make_unique<RoomClient>(api.port(), live.room);
  host_chat->send({{"type", "join"}, {"session", live.host}});
  ASSERT_TRUE(host_chat->next("welcome"));
  host_chat->send({{"type", "comment"}, {"text", "稍等，马上回来"}});
  auto comment = chat->next("comment");
  ASSERT_TRUE(comment) << "the chat carries on without Janus";
  EXPECT_EQ((*comment)["text"], "稍等，马上回来");
  bool back = false;
  for (int i = 0; i < 150 && !back; ++i, std::this_thread::sleep_for(std::chrono::milliseconds(100))) {
    json media = api.get("/healthz").body["media"];
    back = media["janus"].get<bool>() && media["janus_restarts"] == 1;
  }
  ASSERT_TRUE(back) << "Janus is restarted and counted";
  EXPECT_NE(api.get("/metrics").raw.find("veil_media_janus_restarts_total 1\n"), std::string::npos);
  EXPECT_GT(wait_for_segments(api, live.room, segments_before + 2).size(), segments_before) << "HLS ran on";
  EXPECT_EQ(api.get("/api/v1/rooms/" + live.room).body["room"]["status"], "live");
  EXPECT_EQ(api.get("/api/v1/rooms/" + live.room).body["room"]["viewers"], 2)
      << "Janus's viewer left the count; the host joined the chat";

  // The restored public mountpoint plays the masked output, the host's private one the face.
  ApiReply after = api.send_raw("POST", "/api/v1/rooms/" + live.room + "/whep", "", "", ticket);
  ASSERT_EQ(after.status, 201) << after.raw;
  auto everyone = watch_through_janus(api, after, 90, viewers);
  ASSERT_TRUE(everyone) << "a new viewer plays after the restart";
  EXPECT_FALSE(shows_a_face(*everyone)) << "still masked";
  ApiReply view = api.send_raw("POST", "/api/v1/rooms/" + live.room + "/cohost-requests/" + request + "/whep", "", "", live.host);
  ASSERT_EQ(view.status, 201) << view.raw;
  auto host = watch_through_janus(api, view, 90, viewers);
  ASSERT_TRUE(host) << "the host's unmasked view came back with Janus";
  EXPECT_TRUE(shows_a_face(*host));
}

VEIL_ON_BOTH_BACKENDS(Media);

}  // namespace
}  // namespace veil::test
