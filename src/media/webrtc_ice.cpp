#include "media/webrtc_ice.hpp"

#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

namespace veil::media {

Status configure_ice(GstElement* webrtcbin, const std::vector<std::string>& local_addresses) {
  GstWebRTCICE* ice = nullptr;
  g_object_get(webrtcbin, "ice-agent", &ice, nullptr);
  if (ice == nullptr) return Error{ErrorCode::Unavailable, "media_unavailable", "webrtcbin has no ICE agent"};
  Status status;
  if (g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "agent") != nullptr) {
    GObject* agent = nullptr;
    g_object_get(ice, "agent", &agent, nullptr);
    if (agent != nullptr && g_object_class_find_property(G_OBJECT_GET_CLASS(agent), "upnp") != nullptr)
      g_object_set(agent, "upnp", FALSE, nullptr);
    if (agent != nullptr && g_object_class_find_property(G_OBJECT_GET_CLASS(agent), "keepalive-conncheck") != nullptr)
      g_object_set(agent, "keepalive-conncheck", TRUE, nullptr);
    if (agent != nullptr) g_object_unref(agent);
  }
  for (const auto& address : local_addresses) {
    gboolean added = FALSE;
    g_signal_emit_by_name(ice, "add-local-ip-address", address.c_str(), &added);
    if (!added) {
      status = Error{ErrorCode::Unavailable, "media_unavailable", "ICE agent refused a local address"};
      break;
    }
  }
  gst_object_unref(ice);
  return status;
}

}  // namespace veil::media
