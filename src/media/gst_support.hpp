#pragma once
// The thin layer over GStreamer's C API that the rest of src/media uses: initialisation once per
// process, owning pointers for GStreamer objects, and element creation that returns a Result.
#include <gst/gst.h>

#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace veil::media {

// Initialises GStreamer once and checks that every element Veil's pipelines use is installed
// (scripts/setup.sh installs them); the error names the missing ones.
Status ensure_gstreamer();

// Owns one reference to a GstObject (elements, pads, buses, the pipeline).
struct GstObjectUnref {
  void operator()(gpointer object) const { gst_object_unref(object); }
};
template <class T>
using GstRef = std::unique_ptr<T, GstObjectUnref>;

struct GstCapsUnref {
  void operator()(GstCaps* caps) const { gst_caps_unref(caps); }
};
using CapsRef = std::unique_ptr<GstCaps, GstCapsUnref>;

struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};
using GCharPtr = std::unique_ptr<gchar, GFree>;  // strings GStreamer hands over

// A new element from `factory`; the caller adds it to a bin, which then owns it.
Result<GstElement*> make_element(std::string_view factory, std::string_view name = {});

// A pipeline from its gst-launch description; the error carries GStreamer's parse message.
Result<GstElement*> parse_pipeline(const std::string& description);

// Caps from their text form ("video/x-raw,format=I420"); a bug if the text does not parse.
CapsRef caps_from_string(const std::string& text);

// Adds `element` to `bin` and brings it to the bin's state: the step after which it may be linked
// into a running pipeline.
Status add_and_sync(GstBin& bin, GstElement* element);

// Links a chain of elements in order; the error names the pair that refused.
Status link_chain(std::initializer_list<GstElement*> elements);

}  // namespace veil::media
