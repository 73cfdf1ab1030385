#pragma once
// The reference the viewers-per-core benchmark sets Janus beside: the same RTP H.264 stream fanned
// out by GStreamer itself, one webrtcbin per viewer behind a tee (what Veil's room pipeline would
// do without Janus). Runs as its own process (`veil_viewers_bench --serve-webrtcbin`), pinned like
// Janus, driven over stdin/stdout: "add" → "offer <id> <sdp>", "answer <id> <sdp>" → "ok <id>";
// SDP line breaks travel as '|'.
//
// Each viewer follows the order ARCHITECTURE.md records to avoid the tee-linking stall: the queue
// and webrtcbin are linked and brought to PLAYING first, the tee is linked last; then the offer is
// made (send-only, after ICE gathering on the given address).
namespace veil::bench::media {

// The process's main: RTP arrives on 127.0.0.1:`rtp_port`; ICE gathers on `ice_address`.
int serve_webrtcbin_fanout(int rtp_port, const char* ice_address);

}  // namespace veil::bench::media
