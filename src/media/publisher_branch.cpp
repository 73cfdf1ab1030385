#include "media/publisher_branch.hpp"

#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include <algorithm>
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
  const char* unpacker;  // an RTP depayloader, or a parser for what flvdemux hands over
  const char* decoder;
  bool video;
};

// The codecs check_offer lets in over WebRTC, and H.264 + AAC from an RTMP encoder; nothing else:
// an unexpected stream is dropped, not guessed at.
std::optional<Decoding> decoding_for(const GstStructure* s) {
  std::string_view type = gst_structure_get_name(s);
  if (type == "video/x-h264") return Decoding{"h264parse", "avdec_h264", true};
  if (type == "audio/mpeg") return Decoding{"aacparse", "avdec_aac", false};
  const char* name = gst_structure_get_string(s, "encoding-name");
  std::string_view encoding = name != nullptr ? name : "";
  if (encoding == "VP8") return Decoding{"rtpvp8depay", "vp8dec", true};
  if (encoding == "H264") return Decoding{"rtph264depay", "avdec_h264", true};
  if (encoding == "OPUS") return Decoding{"rtpopusdepay", "opusdec", false};
  return std::nullopt;
}

// How far ahead of the room's clock an RTMP stream's first frame is placed: room enough for the
// jitter of a TCP push, little enough to keep the room's latency.
constexpr GstClockTime kRtmpHeadroom = 200 * GST_MSECOND;

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

Result<std::unique_ptr<PublisherBranch>> PublisherBranch::pull_rtmp(GstBin& pipeline, MixerInputs inputs, std::string name,
                                                                    std::unique_ptr<FaceMask> mask, int host_view_port,
                                                                    const std::string& url) {
  if (host_view_port != 0 && !mask) return Error::internal("a host view is for a masked publisher only");
  std::unique_ptr<PublisherBranch> branch(new PublisherBranch(pipeline, inputs, std::move(name), std::move(mask), host_view_port));
  branch->rtmp_ = true;
  GstElement* demux = VEIL_TRY(branch->add("flvdemux"));
  g_signal_connect(demux, "pad-added", G_CALLBACK(&PublisherBranch::on_pad_added), branch.get());
  GstElement* source = VEIL_TRY(branch->add("rtmp2src", [&url](GstElement* e) { g_object_set(e, "location", url.c_str(), nullptr); }));
  if (!gst_element_link(source, demux)) return Error::internal("cannot link the RTMP source");
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
  if (webrtcbin_ == nullptr) return Error::internal("an RTMP stream has no offer to answer");
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
  // Runs on a streaming thread; a stream we cannot take is left unlinked (dropped).
  (void)self->link_stream(pad);
}

Status PublisherBranch::link_stream(GstPad* pad) {
  CapsRef caps(gst_pad_get_current_caps(pad));
  if (!caps) caps.reset(gst_pad_query_caps(pad, nullptr));
  auto decoding = decoding_for(gst_caps_get_structure(caps.get(), 0));
  if (!decoding) return Error::invalid("sdp_codec_unsupported", "a stream we do not decode");
  bool video = decoding->video;

  GstElement* depay = VEIL_TRY(add(decoding->unpacker));
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
  // A publisher that falls behind loses its oldest frames, never stalls the room. An RTMP stream
  // arrives ahead of the room's clock by its headroom, so its queue holds that much more.
  g_object_set(queue, "leaky", 2, "max-size-buffers", rtmp_ ? 0u : 5u, "max-size-time", rtmp_ ? 4 * kRtmpHeadroom : guint64(0),
               "max-size-bytes", 0u, nullptr);
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
  if (rtmp_) {
    gst_pad_add_probe(queue_src.get(), GST_PAD_PROBE_TYPE_BUFFER, video ? &PublisherBranch::on_rtmp_video : &PublisherBranch::on_rtmp_audio,
                      this, nullptr);
  }
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

// An RTMP stream's timestamps count from the encoder's start (and the AAC decoder restarts its own
// at zero), not from the room's. Each decoded stream is moved onto the room's running time,
// `kRtmpHeadroom` ahead of it, by an offset fixed at its first buffer and raised whenever a buffer
// would reach the mixer late (the first ones can be a burst nginx-rtmp kept): the mixers drop late
// buffers. Sound and picture arrive together from a live encoder, so they stay together.
GstPadProbeReturn PublisherBranch::retime(GstPad* pad, GstPadProbeInfo* info, std::atomic<std::int64_t>& offset_ns) {
  GstClockTime pts = GST_BUFFER_PTS(GST_PAD_PROBE_INFO_BUFFER(info));
  GstEvent* sticky = gst_pad_get_sticky_event(pad, GST_EVENT_SEGMENT, 0);
  if (sticky == nullptr || !GST_CLOCK_TIME_IS_VALID(pts)) {
    if (sticky != nullptr) gst_event_unref(sticky);
    return GST_PAD_PROBE_OK;
  }
  GstSegment segment;
  gst_event_copy_segment(sticky, &segment);
  gst_event_unref(sticky);
  // flvdemux starts its segment at the stream's first timestamp: work in running time.
  GstClockTime running = gst_segment_to_running_time(&segment, GST_FORMAT_TIME, pts);
  GstClockTime now = gst_element_get_current_running_time(GST_ELEMENT(&pipeline_));
  if (!GST_CLOCK_TIME_IS_VALID(running) || !GST_CLOCK_TIME_IS_VALID(now)) return GST_PAD_PROBE_OK;
  std::int64_t offset = offset_ns.load();
  if (offset == kNoOffset || static_cast<std::int64_t>(running) + offset < static_cast<std::int64_t>(now)) {
    offset = static_cast<std::int64_t>(now + kRtmpHeadroom) - static_cast<std::int64_t>(running);
    offset_ns.store(offset);  // one streaming thread per stream: no one else writes it
  }
  GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  // Rate 1: moving the timestamp moves the running time by as much.
  GST_BUFFER_PTS(buffer) = static_cast<GstClockTime>(static_cast<std::int64_t>(pts) + offset);
  GST_BUFFER_DTS(buffer) = GST_CLOCK_TIME_NONE;
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn PublisherBranch::on_rtmp_video(GstPad* pad, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<PublisherBranch*>(data);
  return self->retime(pad, info, self->rtmp_video_offset_);
}

GstPadProbeReturn PublisherBranch::on_rtmp_audio(GstPad* pad, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<PublisherBranch*>(data);
  return self->retime(pad, info, self->rtmp_audio_offset_);
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
