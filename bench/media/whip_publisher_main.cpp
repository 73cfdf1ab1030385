// Publishes a stamped 640x360 30 fps test picture into a live Veil room by WHIP, as a browser's
// studio does, until SIGINT or SIGTERM: the live room that scripts/bench-media.sh's HLS request
// benchmark reads segments of. The picture is noise ("snow") by default, so the room's encoder
// spends its whole 1 Mbit/s and the segments have a real camera's size.
//
// usage: veil_whip_publisher <base-url> <room-id> <publish-token> [pattern]
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "capture_log.hpp"
#include "http/curl_http_client.hpp"
#include "stamped_publisher.hpp"

namespace {
volatile std::sig_atomic_t stop_requested = 0;
void on_signal(int) { stop_requested = 1; }
}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: veil_whip_publisher <base-url> <room-id> <publish-token> [pattern]\n");
    return 2;
  }
  const std::string base = argv[1], room = argv[2], token = argv[3], pattern = argc > 4 ? argv[4] : "snow";
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  auto log = std::make_unique<veil::bench::media::CaptureLog>();
  auto publisher = veil::bench::media::StampedPublisher::create(*log, {"127.0.0.1"}, pattern);
  if (!publisher.ok()) {
    std::fprintf(stderr, "publisher: %s\n", publisher.error().detail.c_str());
    return 1;
  }
  auto offer = (*publisher)->offer();
  if (!offer.ok()) {
    std::fprintf(stderr, "offer: %s\n", offer.error().detail.c_str());
    return 1;
  }
  veil::http::CurlHttpClient http;
  veil::HttpRequest request;
  request.method = "POST";
  request.url = base + "/api/v1/rooms/" + room + "/whip";
  request.headers = {{"Content-Type", "application/sdp"}, {"Authorization", "Bearer " + token}};
  request.body = *offer;
  request.timeout_ms = 15000;
  auto reply = http.send(request);
  if (!reply.ok() || reply->status != 201) {
    std::fprintf(stderr, "WHIP: %s\n", reply.ok() ? (std::to_string(reply->status) + " " + reply->body).c_str() : reply.error().detail.c_str());
    return 1;
  }
  if (auto accepted = (*publisher)->accept_answer(reply->body); !accepted.ok()) {
    std::fprintf(stderr, "answer: %s\n", accepted.error().detail.c_str());
    return 1;
  }
  std::printf("publishing (%s)\n", pattern.c_str());
  std::fflush(stdout);
  while (stop_requested == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::printf("stopped after %d frames\n", (*publisher)->frames_stamped());
  return 0;
}
