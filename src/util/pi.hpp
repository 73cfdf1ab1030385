#pragma once
// Pi<T>: a value the data map marks personal. It has no stream operator and no fmt formatter, so
// it cannot reach a log by accident; the only way out is `reveal()`, which is easy to grep for.
#include <ostream>
#include <utility>

namespace veil {

template <class T>
class Pi {
 public:
  Pi() = default;
  explicit Pi(T value) : value_(std::move(value)) {}

  const T& reveal() const& { return value_; }
  T&& reveal() && { return std::move(value_); }
  bool operator==(const Pi& other) const { return value_ == other.value_; }

 private:
  T value_{};
};

template <class T>
std::ostream& operator<<(std::ostream&, const Pi<T>&) = delete;  // PI never goes to a stream

}  // namespace veil
