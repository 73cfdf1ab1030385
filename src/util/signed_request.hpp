#pragma once
// The one signing scheme Veil speaks with external services (SMS gateway, verification service,
// payment provider), in both directions: HMAC-SHA256 with a shared secret over
// "<unix seconds>.<body>", carried in the headers X-Veil-Timestamp and X-Veil-Signature (hex).
// The timestamp bounds replay; a callback's own id (order number) makes it idempotent.
#include <string>
#include <string_view>

#include "util/clock.hpp"
#include "util/http_client.hpp"
#include "util/result.hpp"
#include "util/secret_bytes.hpp"

namespace veil {

inline constexpr std::string_view kTimestampHeader = "X-Veil-Timestamp";
inline constexpr std::string_view kSignatureHeader = "X-Veil-Signature";

std::string sign_body(const SecretBytes& secret, std::string_view timestamp, std::string_view body);

// A JSON POST to `url` carrying `body`, signed at `now`.
HttpRequest signed_json_post(std::string url, std::string body, const SecretBytes& secret, Millis now);

// Checks a signed call: the signature in constant time, and the timestamp within `window` of
// `now`. Errors: signature_invalid (401), signature_expired (401).
Status verify_signed_body(const SecretBytes& secret, std::string_view timestamp, std::string_view signature,
                          std::string_view body, Millis now, Millis window = 5 * kMinute);

}  // namespace veil
