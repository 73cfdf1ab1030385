// The fan-out load tool's own logic (bench/fanout): if it misreads a frame or a percentile, every
// figure in docs/benchmarks.md "Room fan-out" is wrong, so it is tested like product code.
#include <gtest/gtest.h>

#include <vector>

#include "fanout/frame_reader.hpp"
#include "fanout/latency_recorder.hpp"
#include "fanout/probe.hpp"

namespace veil::bench::fanout {
namespace {

// A server frame: unmasked, FIN as given.
std::string server_frame(Opcode opcode, std::string_view payload, bool fin = true) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | static_cast<int>(opcode)));
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    out.push_back(126);
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    out.push_back(127);
    for (int shift = 56; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((payload.size() >> shift) & 0xFF));
  }
  return out + std::string(payload);
}

struct Seen {
  Opcode opcode;
  std::string payload;
};

std::vector<Seen> feed_all(FrameReader& reader, const std::vector<std::string>& chunks,
                           bool* ok = nullptr) {
  std::vector<Seen> seen;
  bool all_ok = true;
  for (const auto& chunk : chunks)
    all_ok = reader.feed(chunk, [&](Opcode op, std::string_view p) {
      seen.push_back({op, std::string(p)});
    }) && all_ok;
  if (ok) *ok = all_ok;
  return seen;
}

TEST(FrameReader, ReadsSeveralFramesFromOneRead) {
  FrameReader reader;
  auto seen =
      feed_all(reader, {server_frame(Opcode::Text, "one") + server_frame(Opcode::Text, "two")});
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].payload, "one");
  EXPECT_EQ(seen[1].payload, "two");
}

TEST(FrameReader, JoinsAFrameSplitAcrossReadsAtEveryByte) {
  std::string payload(300, 'x');  // a 16-bit length
  std::string bytes = server_frame(Opcode::Text, payload) + server_frame(Opcode::Text, "tail");
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    FrameReader reader;
    auto seen = feed_all(reader, {bytes.substr(0, cut), bytes.substr(cut)});
    ASSERT_EQ(seen.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(seen[0].payload, payload);
    EXPECT_EQ(seen[1].payload, "tail");
  }
}

TEST(FrameReader, ReadsA64BitLength) {
  std::string payload(70'000, 'y');
  FrameReader reader;
  auto seen = feed_all(reader, {server_frame(Opcode::Binary, payload)});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].opcode, Opcode::Binary);
  EXPECT_EQ(seen[0].payload.size(), 70'000u);
}

TEST(FrameReader, JoinsFragmentsAndPassesControlFramesBetweenThem) {
  FrameReader reader;
  auto seen =
      feed_all(reader, {server_frame(Opcode::Text, "hel", false), server_frame(Opcode::Ping, "p"),
                        server_frame(Opcode::Continuation, "lo")});
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].opcode, Opcode::Ping);
  EXPECT_EQ(seen[1].opcode, Opcode::Text);
  EXPECT_EQ(seen[1].payload, "hello");
}

TEST(FrameReader, RefusesAMaskedServerFrameAndAStrayContinuation) {
  FrameReader masked;
  bool ok = true;
  feed_all(masked, {encode_client_frame(Opcode::Text, "hi", 0x01020304)}, &ok);
  EXPECT_FALSE(ok);
  FrameReader stray;
  feed_all(stray, {server_frame(Opcode::Continuation, "x")}, &ok);
  EXPECT_FALSE(ok);
}

TEST(FrameReader, ClientFramesAreMaskedAndUnmaskBack) {
  std::string frame = encode_client_frame(Opcode::Text, "hello", 0xA1B2C3D4);
  ASSERT_EQ(frame.size(), 2u + 4u + 5u);
  EXPECT_EQ(static_cast<unsigned char>(frame[0]), 0x81);
  EXPECT_EQ(static_cast<unsigned char>(frame[1]), 0x80 | 5);
  std::string unmasked;
  for (std::size_t i = 0; i < 5; ++i)
    unmasked.push_back(static_cast<char>(frame[6 + i] ^ frame[2 + i % 4]));
  EXPECT_EQ(unmasked, "hello");
  EXPECT_EQ(
      static_cast<unsigned char>(encode_client_frame(Opcode::Text, std::string(200, 'a'), 1)[1]),
      0x80 | 126);
}

TEST(Probe, IsFoundInTheFrameTheSenderWroteAndInVeilsComment) {
  Probe sent{123456789012345, 17, 42};
  auto own = find_probe(probe_message(sent));
  ASSERT_TRUE(own);
  EXPECT_EQ(own->sent_ns, sent.sent_ns);
  EXPECT_EQ(own->sender, 17);
  EXPECT_EQ(own->number, 42);
  std::string veil =
      R"({"seq":9,"at":1,"author":{"nickname":"Sender 3","viewer":"ab"},"id":"x","text":"fb 5 3 7","type":"comment"})";
  auto relayed = find_probe(veil);
  ASSERT_TRUE(relayed);
  EXPECT_EQ(relayed->sent_ns, 5);
  EXPECT_EQ(relayed->number, 7);
}

TEST(Probe, OtherFramesCarryNone) {
  EXPECT_FALSE(find_probe(R"({"type":"viewers","count":5000})"));
  EXPECT_FALSE(find_probe(R"({"text":"fb x 1 2"})"));
  EXPECT_EQ(
      error_code_of(R"({"type":"error","error":{"code":"message_rate_limited","status":429}})"),
      "message_rate_limited");
  EXPECT_EQ(error_code_of(R"({"type":"pong"})"), "");
}

TEST(LatencyRecorder, NearestRankPercentiles) {
  std::vector<std::uint32_t> sorted;
  for (std::uint32_t i = 1; i <= 100; ++i) sorted.push_back(i);
  EXPECT_EQ(nearest_rank(sorted, 50), 50u);
  EXPECT_EQ(nearest_rank(sorted, 99), 99u);
  EXPECT_EQ(nearest_rank(sorted, 99.9), 100u);
  EXPECT_EQ(nearest_rank(sorted, 100), 100u);
  EXPECT_EQ(nearest_rank({7}, 1), 7u);
  EXPECT_EQ(nearest_rank({}, 50), 0u);
}

TEST(LatencyRecorder, SummarizesInMillisecondsWhateverTheOrder) {
  LatencyRecorder recorder;
  for (int i = 1000; i >= 1; --i)
    recorder.record_ns(static_cast<std::int64_t>(i) * 1'000'000);  // 1 … 1000 ms
  recorder.record_ns(-5);                                          // never negative
  auto s = recorder.summarize();
  EXPECT_EQ(s.count, 1001u);
  EXPECT_DOUBLE_EQ(s.p50_ms, 500);
  EXPECT_DOUBLE_EQ(s.p99_ms, 990);
  EXPECT_DOUBLE_EQ(s.max_ms, 1000);
}

}  // namespace
}  // namespace veil::bench::fanout
