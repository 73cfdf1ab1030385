#include "util/error.hpp"

namespace veil {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::Unauthenticated: return "unauthenticated";
    case ErrorCode::PermissionDenied: return "permission_denied";
    case ErrorCode::ConsentRequired: return "consent_required";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::PayloadTooLarge: return "payload_too_large";
    case ErrorCode::UnsupportedMedia: return "unsupported_media_type";
    case ErrorCode::ResourceExhausted: return "resource_exhausted";
    case ErrorCode::Internal: return "internal";
    case ErrorCode::Unavailable: return "unavailable";
  }
  return "internal";
}

}  // namespace veil
