#include "frame_code.hpp"

#include <cstring>

namespace veil::bench::media {

namespace {

constexpr std::uint8_t kWhite = 235, kBlack = 16;  // studio-range luma

bool bit(std::uint16_t counter, int i) { return ((counter >> (kCodeBits - 1 - i)) & 1) != 0; }

// Mean luma of the block's middle 20x20: its edges are where the encoder smears neighbours in.
int block_mean(const std::uint8_t* y, int stride, int column, int row) {
  const int x0 = column * kCodeBlock + 10, y0 = row * kCodeBlock + 10;
  int sum = 0;
  for (int yy = y0; yy < y0 + 20; ++yy)
    for (int xx = x0; xx < x0 + 20; ++xx) sum += y[yy * stride + xx];
  return sum / 400;
}

}  // namespace

void paint_frame_code(std::uint16_t counter, std::uint8_t* y, int y_stride, std::uint8_t* u, int u_stride,
                      std::uint8_t* v, int v_stride) {
  for (int row = 0; row < 2; ++row) {
    for (int i = 0; i < kCodeBits; ++i) {
      const bool one = bit(counter, i) != (row == 1);  // the second row is the complement
      for (int yy = row * kCodeBlock; yy < (row + 1) * kCodeBlock; ++yy)
        std::memset(y + yy * y_stride + i * kCodeBlock, one ? kWhite : kBlack, kCodeBlock);
    }
  }
  for (int yy = 0; yy < kCodeBlock; ++yy) {  // chroma rows 0-39 cover luma rows 0-79
    std::memset(u + yy * u_stride, 128, kCodeBits * kCodeBlock / 2);
    std::memset(v + yy * v_stride, 128, kCodeBits * kCodeBlock / 2);
  }
}

std::optional<std::uint16_t> read_frame_code(const std::uint8_t* y, int y_stride, int width, int height) {
  if (width < kCodeBits * kCodeBlock || height < 2 * kCodeBlock) return std::nullopt;
  std::uint16_t counter = 0;
  for (int i = 0; i < kCodeBits; ++i) {
    const int top = block_mean(y, y_stride, i, 0), bottom = block_mean(y, y_stride, i, 1);
    // Each block must be clearly black or white, and the two rows opposite.
    const bool top_one = top > 170, top_zero = top < 80, bottom_one = bottom > 170, bottom_zero = bottom < 80;
    if (!((top_one && bottom_zero) || (top_zero && bottom_one))) return std::nullopt;
    counter = static_cast<std::uint16_t>((counter << 1) | (top_one ? 1 : 0));
  }
  return counter;
}

}  // namespace veil::bench::media
