#pragma once
// A frame counter drawn into the picture itself, so a viewer can tell which captured frame it is
// looking at after the frame went through encoders, compositing, RTP, Janus and HLS.
//
// 16 bits as a row of 16 blocks, 40x40 luma pixels each, across the top of a 640x360 picture
// (white = 1, black = 0), and under it the same bits inverted. Blocks this big survive H.264 at
// 1 Mbit/s and one rescale; the inverted row lets the reader refuse a damaged or blended frame
// instead of returning a wrong counter.
#include <cstdint>
#include <optional>

namespace veil::bench::media {

inline constexpr int kCodeBits = 16;
inline constexpr int kCodeBlock = 40;  // pixels; 16 x 40 = 640, the room's width

// Paints `counter` (mod 2^16) into an I420 picture of at least 640x80: luma rows 0-79, and the
// matching chroma set to neutral grey so the blocks stay black and white.
void paint_frame_code(std::uint16_t counter, std::uint8_t* y, int y_stride, std::uint8_t* u, int u_stride,
                      std::uint8_t* v, int v_stride);

// Reads the counter back from a decoded luma plane, or nothing when a block is ambiguous or the two
// rows disagree (the picture is not one of ours, or is damaged). `width` must be 640.
std::optional<std::uint16_t> read_frame_code(const std::uint8_t* y, int y_stride, int width, int height);

}  // namespace veil::bench::media
