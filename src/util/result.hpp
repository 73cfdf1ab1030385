#pragma once
// Result<T>: a value or an Error, in the style of Abseil's StatusOr and Ladybird's ErrorOr.
// VEIL_TRY(expr) unwraps a Result or returns its error from the enclosing function.
#include <cassert>
#include <utility>
#include <variant>

#include "util/error.hpp"

namespace veil {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  const Error& error() const { assert(!ok()); return std::get<1>(state_); }
  Error&& take_error() { assert(!ok()); return std::get<1>(std::move(state_)); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }
  Error&& take_error() { assert(!ok_); return std::move(error_); }
  void value() const { assert(ok_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace veil

// GCC statement expression, as Ladybird's TRY: keeps the happy path flat. Each expansion gets its
// own variable name so nested TRYs do not shadow each other.
#define VEIL_CONCAT_INNER(a, b) a##b
#define VEIL_CONCAT(a, b) VEIL_CONCAT_INNER(a, b)
#define VEIL_TRY_NAMED(expr, name)                \
  ({                                              \
    auto name = (expr);                           \
    if (!name.ok()) return name.take_error();     \
    std::move(name).value();                      \
  })
#define VEIL_TRY(expr) VEIL_TRY_NAMED(expr, VEIL_CONCAT(veil_try_result_, __COUNTER__))
