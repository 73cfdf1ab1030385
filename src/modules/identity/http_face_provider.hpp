#pragma once
// A verification service over HTTP(S): POST {"name","id_number","phone","photo"(base64)} as
// JSON, signed like every provider call (util/signed_request.hpp); it answers {"match": bool}.
// The request body is wiped once sent; nothing of it is logged or kept.
#include "modules/identity/face_provider.hpp"
#include "util/clock.hpp"
#include "util/http_client.hpp"

namespace veil::identity {

class HttpFaceProvider final : public FaceProvider {
 public:
  HttpFaceProvider(HttpClient& client, std::string url, SecretBytes secret, const Clock& clock)
      : client_(client), url_(std::move(url)), secret_(std::move(secret)), clock_(clock) {}
  Result<bool> matches(const FaceClaim& claim) override;

 private:
  HttpClient& client_;
  std::string url_;
  SecretBytes secret_;
  const Clock& clock_;
};

}  // namespace veil::identity
