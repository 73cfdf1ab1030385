// The glass-to-glass benchmark's frame counter (bench/media/frame_code): every latency in
// docs/benchmarks.md "Glass-to-glass latency" rests on reading it back right, or not at all.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "capture_log.hpp"
#include "frame_code.hpp"

namespace veil::bench::media {
namespace {

constexpr int kWidth = 640, kHeight = 360;

struct Picture {
  std::vector<std::uint8_t> y = std::vector<std::uint8_t>(kWidth * kHeight, 120);
  std::vector<std::uint8_t> u = std::vector<std::uint8_t>(kWidth * kHeight / 4, 90);
  std::vector<std::uint8_t> v = std::vector<std::uint8_t>(kWidth * kHeight / 4, 160);
  void paint(std::uint16_t counter) { paint_frame_code(counter, y.data(), kWidth, u.data(), kWidth / 2, v.data(), kWidth / 2); }
  std::optional<std::uint16_t> read() const { return read_frame_code(y.data(), kWidth, kWidth, kHeight); }
};

TEST(FrameCode, ReadsBackEveryPaintedCounter) {
  for (std::uint16_t counter : {0, 1, 2, 0x5555, 0x8000, 12345, 0xFFFF}) {
    Picture p;
    p.paint(static_cast<std::uint16_t>(counter));
    EXPECT_EQ(p.read(), counter);
  }
}

TEST(FrameCode, SurvivesNoiseLikeAnEncodersError) {
  Picture p;
  p.paint(0xA5C3);
  std::mt19937 random(7);
  std::uniform_int_distribution<int> noise(-40, 40);
  for (auto& pixel : p.y) pixel = static_cast<std::uint8_t>(std::clamp(pixel + noise(random), 0, 255));
  EXPECT_EQ(p.read(), 0xA5C3);
}

TEST(FrameCode, RefusesAPictureWithoutACode) {
  Picture p;
  EXPECT_FALSE(p.read().has_value());
}

TEST(FrameCode, RefusesWhenTheComplementRowDisagrees) {
  Picture p;
  p.paint(0x0F0F);
  // One block of the second row painted like the first: a blend of two frames, or damage.
  for (int y = kCodeBlock; y < 2 * kCodeBlock; ++y)
    for (int x = 0; x < kCodeBlock; ++x) p.y[static_cast<std::size_t>(y * kWidth + x)] = p.y[static_cast<std::size_t>(x)];
  EXPECT_FALSE(p.read().has_value());
}

TEST(FrameCode, RefusesAPictureTooSmallForIt) {
  Picture p;
  p.paint(7);
  EXPECT_FALSE(read_frame_code(p.y.data(), kWidth, 320, kHeight).has_value());
}

TEST(Quantile, NearestRank) {
  std::vector<double> values;
  for (int i = 100; i >= 1; --i) values.push_back(i);
  EXPECT_EQ(quantile(values, 0.5), 50);
  EXPECT_EQ(quantile(values, 0.95), 95);
  EXPECT_EQ(quantile(values, 1.0), 100);
  EXPECT_EQ(quantile({}, 0.5), 0);
}

TEST(CaptureLog, ForgetsNothingAndKnowsWhatWasNeverStamped) {
  auto log = std::make_unique<CaptureLog>();
  log->captured(65535, 42);
  EXPECT_EQ(log->capture_time(65535), 42);
  EXPECT_EQ(log->capture_time(3), 0);
}

}  // namespace
}  // namespace veil::bench::media
