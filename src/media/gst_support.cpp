#include "media/gst_support.hpp"

#include <mutex>
#include <vector>

namespace veil::media {

namespace {
// Every factory a room pipeline can ask for. Checked once at start-up so a missing plugin package
// is a clear start-up error, not a room that silently has no picture.
constexpr std::string_view kRequiredElements[] = {
    "webrtcbin",    "decodebin",    "videoconvert", "videoscale",  "videotestsrc", "audiotestsrc",
    "compositor",   "audiomixer",   "audioconvert", "audioresample", "x264enc",    "h264parse",
    "avenc_aac",    "aacparse",     "hlssink2",     "opusenc",      "rtph264pay",  "rtpopuspay",
    "udpsink",      "capsfilter",   "queue",        "tee",          "appsink",     "fakesink",
    "appsrc",       "tsdemux",      "mp4mux"};  // the last three cut clips (clip_cutter.cpp)
}  // namespace

Status ensure_gstreamer() {
  static std::once_flag once;
  static std::string missing;
  std::call_once(once, [] {
    gst_init(nullptr, nullptr);
    for (auto name : kRequiredElements) {
      GstElementFactory* factory = gst_element_factory_find(std::string(name).c_str());
      if (factory == nullptr) {
        missing += missing.empty() ? "" : ", ";
        missing += name;
      } else {
        gst_object_unref(factory);
      }
    }
  });
  if (!missing.empty()) return Error{ErrorCode::Unavailable, "media_unavailable", "GStreamer elements missing: " + missing};
  return {};
}

Result<GstElement*> make_element(std::string_view factory, std::string_view name) {
  GstElement* e = gst_element_factory_make(std::string(factory).c_str(), name.empty() ? nullptr : std::string(name).c_str());
  if (e == nullptr) return Error{ErrorCode::Unavailable, "media_unavailable", "cannot create element " + std::string(factory)};
  return e;
}

Result<GstElement*> parse_pipeline(const std::string& description) {
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &error);
  if (error != nullptr) {
    std::string message = error->message;
    g_error_free(error);
    if (pipeline != nullptr) gst_object_unref(pipeline);
    return Error::internal("pipeline description: " + message);
  }
  return pipeline;
}

CapsRef caps_from_string(const std::string& text) {
  GstCaps* caps = gst_caps_from_string(text.c_str());
  if (caps == nullptr) std::abort();  // the text is ours: a bug, not input
  return CapsRef(caps);
}

Status add_and_sync(GstBin& bin, GstElement* element) {
  if (!gst_bin_add(&bin, element)) return Error::internal("gst_bin_add refused an element");
  if (!gst_element_sync_state_with_parent(element)) return Error::internal("element did not reach the pipeline's state");
  return {};
}

Status link_chain(std::initializer_list<GstElement*> elements) {
  GstElement* previous = nullptr;
  for (GstElement* e : elements) {
    if (previous != nullptr && !gst_element_link(previous, e)) {
      return Error::internal(std::string("cannot link ") + GST_ELEMENT_NAME(previous) + " to " + GST_ELEMENT_NAME(e));
    }
    previous = e;
  }
  return {};
}

}  // namespace veil::media
