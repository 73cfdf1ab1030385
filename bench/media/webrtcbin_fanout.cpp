#include "webrtcbin_fanout.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "media/gst_support.hpp"
#include "media/webrtc_ice.hpp"
#include "media/webrtc_negotiation.hpp"

namespace veil::bench::media {

namespace {

namespace vm = veil::media;

std::string one_line(std::string sdp) {
  std::string out;
  for (char c : sdp) {
    if (c == '\r') continue;
    out += c == '\n' ? '|' : c;
  }
  return out;
}

std::string from_line(const std::string& line) {
  std::string out;
  for (char c : line) out += c == '|' ? std::string("\r\n") : std::string(1, c);
  return out;
}

Result<std::string> add_viewer(GstElement* pipeline, GstElement* tee, const std::string& address) {
  GstElement* queue = VEIL_TRY(vm::make_element("queue"));
  GstElement* rtc = VEIL_TRY(vm::make_element("webrtcbin"));
  gst_util_set_object_arg(G_OBJECT(rtc), "bundle-policy", "max-bundle");
  VEIL_TRY(vm::configure_ice(rtc, {address}));
  gst_bin_add_many(GST_BIN(pipeline), queue, rtc, nullptr);
  GstPad* sink = gst_element_request_pad_simple(rtc, "sink_%u");
  vm::GstRef<GstPad> queue_src(gst_element_get_static_pad(queue, "src"));
  if (gst_pad_link(queue_src.get(), sink) != GST_PAD_LINK_OK) return Error::internal("queue to webrtcbin");
  gst_object_unref(sink);
  bool linked = false;
  auto offer = vm::create_send_offer(rtc, [&] {
    gst_element_sync_state_with_parent(rtc);
    gst_element_sync_state_with_parent(queue);
    linked = gst_element_link(tee, queue);  // last: see the header
  }, std::chrono::seconds(10));
  if (!linked) return Error::internal("tee to queue");
  return offer;
}

}  // namespace

int serve_webrtcbin_fanout(int rtp_port, const char* ice_address) {
  if (!vm::ensure_gstreamer().ok()) return 1;
  const std::string description =
      "udpsrc address=127.0.0.1 port=" + std::to_string(rtp_port) +
      " buffer-size=8388608 caps=\"application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000,"
      "packetization-mode=(string)1,profile-level-id=(string)42e01f\" ! tee name=t allow-not-linked=true";
  auto pipeline = vm::parse_pipeline(description);
  if (!pipeline.ok()) return 1;
  vm::GstRef<GstElement> owned(*pipeline);
  vm::GstRef<GstElement> tee(gst_bin_get_by_name(GST_BIN(owned.get()), "t"));
  gst_element_set_state(owned.get(), GST_STATE_PLAYING);
  std::map<int, GstElement*> viewers;
  std::string line;
  int next = 0;
  std::printf("ready\n");
  std::fflush(stdout);
  while (std::getline(std::cin, line)) {
    if (line == "add") {
      const int id = next++;
      auto offer = add_viewer(owned.get(), tee.get(), ice_address);
      if (!offer.ok()) {
        std::printf("error %s\n", offer.error().detail.c_str());
      } else {
        std::printf("offer %d %s\n", id, one_line(*offer).c_str());
      }
    } else if (line.rfind("answer ", 0) == 0) {
      const auto space = line.find(' ', 7);
      const int id = std::stoi(line.substr(7, space - 7));
      // The id-th webrtcbin added: find it by its element name, webrtcbin<id>.
      vm::GstRef<GstElement> rtc(gst_bin_get_by_name(GST_BIN(owned.get()), ("webrtcbin" + std::to_string(id)).c_str()));
      if (!rtc) {
        std::printf("error no viewer %d\n", id);
      } else if (auto ok = vm::accept_answer(rtc.get(), from_line(line.substr(space + 1))); !ok.ok()) {
        std::printf("error %s\n", ok.error().detail.c_str());
      } else {
        std::printf("ok %d\n", id);
      }
    } else if (line == "quit") {
      break;
    }
    std::fflush(stdout);
  }
  gst_element_set_state(owned.get(), GST_STATE_NULL);
  return 0;
}

}  // namespace veil::bench::media
