#pragma once
// An injectable clock. Everything that compares times (code expiry, sessions, retention, deadlines)
// asks a Clock, so tests and the `--dev` clock endpoint can move time without waiting.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace veil {

using Millis = std::int64_t;  // milliseconds since the Unix epoch, UTC

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Millis now() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

// System time plus an offset that only moves forward: the development server's clock.
class AdvanceableClock final : public Clock {
 public:
  Millis now() const override { return system_.now() + offset_.load(); }
  void advance(Millis by) { offset_ += by; }

 private:
  SystemClock system_;
  std::atomic<Millis> offset_{0};
};

// A clock that moves only when told: for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Millis start) : now_(start) {}
  Millis now() const override { return now_.load(); }
  void advance(Millis by) { now_ += by; }

 private:
  std::atomic<Millis> now_;
};

constexpr Millis kSecond = 1000;
constexpr Millis kMinute = 60 * kSecond;
constexpr Millis kHour = 60 * kMinute;
constexpr Millis kDay = 24 * kHour;

}  // namespace veil
