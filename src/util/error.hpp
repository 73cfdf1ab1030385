#pragma once
// An error as a value. `reason` is the stable machine-readable code a client sees (and the key of
// its zh-CN/en message in i18n/errors.toml); `detail` is for developers and never holds PI.
#include <cstdint>
#include <string>
#include <string_view>

namespace veil {

enum class ErrorCode {
  InvalidArgument,     // 400: the request itself is wrong
  Unauthenticated,     // 401: no valid session
  PermissionDenied,    // 403: known caller, not allowed
  ConsentRequired,     // 403: the processing needs a consent the subject has not given
  NotFound,            // 404
  Conflict,            // 409: state does not allow it (already exists, already used)
  PayloadTooLarge,     // 413
  UnsupportedMedia,    // 415
  ResourceExhausted,   // 429: rate limited
  Internal,            // 500: a bug or a broken invariant
  Unavailable,         // 503: a dependency is down, try later
};

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string reason;  // e.g. "phone_invalid"
  std::string detail;  // developer-facing context; must not contain personal information
  // A refusal that ends (a rate limit): milliseconds until the caller may try again; 0: unknown.
  // Clients see it as `retry_after` (seconds) and the Retry-After header.
  std::int64_t retry_after_ms = 0;

  static Error exhausted(std::string reason, std::int64_t retry_after_ms) {
    return {ErrorCode::ResourceExhausted, std::move(reason), {}, retry_after_ms};
  }
  static Error invalid(std::string reason, std::string detail = {}) {
    return {ErrorCode::InvalidArgument, std::move(reason), std::move(detail)};
  }
  static Error internal(std::string detail) { return {ErrorCode::Internal, "internal", std::move(detail)}; }
};

std::string_view to_string(ErrorCode code);

}  // namespace veil
