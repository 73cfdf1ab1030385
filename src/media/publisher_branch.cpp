#include "media/publisher_branch.hpp"

#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include <chrono>
#include <optional>

#include "media/gst_support.hpp"
#include "media/webrtc_ice.hpp"
#include "media/webrtc_negotiation.hpp"

namespace veil::media {

namespace {

std::int64_t monotonic_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

struct Decoding {
  const char* depayloader;
  const char* decoder;
};

// The codecs check_offer lets in, and nothing else: an unexpected stream is dropped, not guessed at.
std::optional<Decoding> decoding_for(std::string_view encoding) {
  if (encoding == "VP8") return Decoding{"rtpvp8depay", "vp8dec"};
  if (encoding == "H264") return Decoding{"rtph264depay", "avdec_h264"};
  if (encoding == "OPUS") return Decoding{"rtpopusdepay", "opusdec"};
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<PublisherBranch>> PublisherBranch::create(GstBin& pipeline, MixerInputs inputs, std::string name,
                                                                 std::unique_ptr<FaceMask> mask, int host_view_port) {
  if (host_view_port != 0 && !mask) return Error::internal("a host view is for a masked publisher only");
  std::unique_ptr<PublisherBranch> branch(new PublisherBranch(pipeline, inputs, std::move(name), std::move(mask), host_view_port));
  GstElement* webrtcbin = VEIL_TRY(branch->add("webrtcbin"));
  g_object_set(webrtcbin, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, nullptr);
  VEIL_TRY(configure_ice(webrtcbin));
  branch->webrtcbin_ = webrtcbin;
  g_signal_connect(webrtcbin, "pad-added", G_CALLBACK(&PublisherBranch::on_pad_added), branch.get());
  return branch;
}

Result<GstElement*> PublisherBranch::add(std::string_view factory, const std::function<void(GstElement*)>& configure) {
  GstElement* e = VEIL_TRY(make_element(factory));
  // Before the element joins the playing pipeline: some properties (an encoder's) are read only
  // while it is stopped.
  if (configure) configure(e);
  VEIL_TRY(add_and_sync(pipeline_, e));
  std::lock_guard lock(mutex_);
  elements_.push_back(e);
  return e;
}

Result<std::string> PublisherBranch::answer(const std::string& offer_sdp, const std::string& video_codec) {
  return answer_offer(webrtcbin_, offer_sdp, video_codec);
}

PublisherBranch::~PublisherBranch() {
  std::vector<GstElement*> elements;
  std::vector<std::pair<GstElement*, GstPad*>> pads;
  {
    std::lock_guard lock(mutex_);
    elements.swap(elements_);
    pads.swap(mixer_pads_);
    video_pad_ = nullptr;
  }
  if (webrtcbin_ != nullptr) g_signal_handlers_disconnect_by_data(webrtcbin_, this);
  // Stop every element first: once the queues' threads are joined nothing pushes into the mixer
  // pads any more, and they can be released while the room's output keeps running.
  for (GstElement* e : elements) gst_element_set_state(e, GST_STATE_NULL);
  for (auto& [mixer, pad] : pads) {
    GstPad* peer = gst_pad_get_peer(pad);
    if (peer != nullptr) {
      gst_pad_unlink(peer, pad);
      gst_object_unref(peer);
    }
    gst_element_release_request_pad(mixer, pad);
    gst_object_unref(pad);
  }
  for (GstElement* e : elements) gst_bin_remove(&pipeline_, e);
}

void PublisherBranch::place(Tile tile) {
  std::lock_guard lock(mutex_);
  tile_ = tile;
  if (video_pad_ != nullptr) {
    g_object_set(video_pad_, "xpos", tile.x, "ypos", tile.y, "width", tile.width, "height", tile.height, nullptr);
  }
}

void PublisherBranch::on_pad_added(GstElement*, GstPad* pad, PublisherBranch* self) {
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC) return;
  // Runs on a streaming thread; a stream we cannot take is left unlinked (webrtcbin drops it).
  (void)self->link_stream(pad);
}

Status PublisherBranch::link_stream(GstPad* pad) {
  CapsRef caps(gst_pad_get_current_caps(pad));
  if (!caps) caps.reset(gst_pad_query_caps(pad, nullptr));
  const GstStructure* s = gst_caps_get_structure(caps.get(), 0);
  const char* encoding = gst_structure_get_string(s, "encoding-name");
  auto decoding = decoding_for(encoding != nullptr ? encoding : "");
  if (!decoding) return Error::invalid("sdp_codec_unsupported", encoding != nullptr ? encoding : "?");
  bool video = std::string_view(decoding->depayloader) != "rtpopusdepay";

  GstElement* depay = VEIL_TRY(add(decoding->depayloader));
  GstElement* decoder = VEIL_TRY(add(decoding->decoder));
  std::vector<GstElement*> chain = {depay, decoder};
  GstElement* mixer = nullptr;
  if (video) {
    GstElement* convert = VEIL_TRY(add("videoconvert"));
    GstElement* scale = VEIL_TRY(add("videoscale"));
    g_object_set(scale, "add-borders", TRUE, nullptr);
    GstElement* normal = VEIL_TRY(add("capsfilter"));
    auto normal_caps = caps_from_string("video/x-raw,format=I420,pixel-aspect-ratio=1/1,width=" +
                                        std::to_string(inputs_.source_width) + ",height=" + std::to_string(inputs_.source_height));
    g_object_set(normal, "caps", normal_caps.get(), nullptr);
    chain.insert(chain.end(), {convert, scale, normal});
    mixer = inputs_.compositor;
  } else {
    GstElement* convert = VEIL_TRY(add("audioconvert"));
    GstElement* resample = VEIL_TRY(add("audioresample"));
    chain.insert(chain.end(), {convert, resample});
    mixer = inputs_.audio_mixer;
  }
  GstElement* queue = VEIL_TRY(add("queue"));
  // A publisher that falls behind loses its oldest frames, never stalls the room.
  g_object_set(queue, "leaky", 2, "max-size-buffers", 5u, "max-size-time", guint64(0), "max-size-bytes", 0u, nullptr);
  if (video && mask_) {
    // On the queue that feeds the compositor, installed before anything is linked: no frame can
    // reach the room's output unmasked.
    GstRef<GstPad> sink(gst_element_get_static_pad(queue, "sink"));
    gst_pad_add_probe(sink.get(), static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                      &PublisherBranch::on_frame, this, nullptr);
    if (host_view_port_ != 0) {
      GstElement* split = VEIL_TRY(add("tee"));
      chain.push_back(split);
      VEIL_TRY(add_host_view(split));
    }
  }
  chain.push_back(queue);
  for (std::size_t i = 1; i < chain.size(); ++i) {
    if (!gst_element_link(chain[i - 1], chain[i])) return Error::internal("cannot link a publisher's decoding chain");
  }

  GstRef<GstPad> depay_sink(gst_element_get_static_pad(depay, "sink"));
  gst_pad_add_probe(depay_sink.get(), static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                    &PublisherBranch::on_rtp, this, nullptr);

  GstPadTemplate* templ = gst_element_get_pad_template(mixer, "sink_%u");
  GstPad* mixer_pad = gst_element_request_pad(mixer, templ, nullptr, nullptr);
  if (mixer_pad == nullptr) return Error::internal("mixer refused a pad");
  {
    std::lock_guard lock(mutex_);
    mixer_pads_.emplace_back(mixer, mixer_pad);
    if (video) {
      video_pad_ = mixer_pad;
      // Above the room's background (zorder 0); sized to the tile, letterboxed, not stretched.
      g_object_set(mixer_pad, "zorder", 1u, "sizing-policy", 1, "xpos", tile_.x, "ypos", tile_.y, "width", tile_.width,
                   "height", tile_.height, nullptr);
    }
  }
  GstRef<GstPad> queue_src(gst_element_get_static_pad(queue, "src"));
  if (gst_pad_link(queue_src.get(), mixer_pad) != GST_PAD_LINK_OK) return Error::internal("cannot link to the mixer");
  if (gst_pad_link(pad, depay_sink.get()) != GST_PAD_LINK_OK) return Error::internal("cannot link the incoming stream");
  return {};
}

Status PublisherBranch::add_host_view(GstElement* tee) {
  GstElement* queue = VEIL_TRY(add("queue"));
  g_object_set(queue, "leaky", 2, "max-size-buffers", 3u, "max-size-time", guint64(0), "max-size-bytes", 0u, nullptr);
  GstElement* encoder = VEIL_TRY(add("x264enc", [](GstElement* e) {
    gst_util_set_object_arg(G_OBJECT(e), "tune", "zerolatency");
    gst_util_set_object_arg(G_OBJECT(e), "speed-preset", "ultrafast");
    // One viewer, the host, who may join at any moment: a key frame every second.
    g_object_set(e, "bitrate", 800u, "key-int-max", 30u, nullptr);
  }));
  GstElement* profile = VEIL_TRY(add("capsfilter"));
  g_object_set(profile, "caps", caps_from_string("video/x-h264,profile=constrained-baseline").get(), nullptr);
  GstElement* pay = VEIL_TRY(add("rtph264pay"));
  g_object_set(pay, "pt", 96u, "config-interval", -1, nullptr);
  gst_util_set_object_arg(G_OBJECT(pay), "aggregate-mode", "zero-latency");
  GstElement* sink = VEIL_TRY(add("udpsink"));
  g_object_set(sink, "host", "127.0.0.1", "port", host_view_port_, "sync", FALSE, "async", FALSE, nullptr);
  return link_chain({tee, queue, encoder, profile, pay, sink});
}

GstPadProbeReturn PublisherBranch::on_rtp(GstPad*, GstPadProbeInfo*, gpointer data) {
  auto* self = static_cast<PublisherBranch*>(data);
  self->last_media_ms_.store(monotonic_ms());
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn PublisherBranch::on_frame(GstPad* pad, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<PublisherBranch*>(data);
  // Decoders push single frames; a list would have to be masked frame by frame, so it is dropped.
  if ((GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER) == 0) return GST_PAD_PROBE_DROP;
  GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  CapsRef caps(gst_pad_get_current_caps(pad));
  GstVideoInfo video;
  GstVideoFrame frame;
  // A frame that cannot be read cannot be masked: drop it rather than let it through.
  if (!caps || !gst_video_info_from_caps(&video, caps.get()) || !gst_video_frame_map(&frame, &video, buffer, GST_MAP_READWRITE)) {
    return GST_PAD_PROBE_DROP;
  }
  I420Frame view;
  for (int plane = 0; plane < 3; ++plane) {
    view.planes[plane] = static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, plane));
    view.strides[plane] = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, plane);
  }
  view.width = GST_VIDEO_FRAME_WIDTH(&frame);
  view.height = GST_VIDEO_FRAME_HEIGHT(&frame);
  GstClockTime pts = GST_BUFFER_PTS(buffer);
  self->mask_->apply(view, GST_CLOCK_TIME_IS_VALID(pts) ? static_cast<std::int64_t>(pts / GST_MSECOND) : monotonic_ms());
  gst_video_frame_unmap(&frame);
  return GST_PAD_PROBE_OK;
}

}  // namespace veil::media
