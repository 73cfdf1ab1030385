#include "modules/identity/http_face_provider.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "util/signed_request.hpp"

namespace veil::identity {

namespace {
std::string base64(const SecretBytes& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  return out;
}

void wipe(std::string& s) { sodium_memzero(s.data(), s.size()); }
}  // namespace

Result<bool> HttpFaceProvider::matches(const FaceClaim& claim) {
  std::string photo = base64(claim.photo);
  nlohmann::json body = {{"name", claim.name.reveal()},
                         {"id_number", claim.id_number.reveal()},
                         {"phone", claim.phone.reveal()},
                         {"photo", photo}};
  wipe(photo);
  HttpRequest request = signed_json_post(url_, body.dump(), secret_, clock_.now());
  for (auto& value : body) wipe(value.get_ref<std::string&>());
  auto response = client_.send(request);
  wipe(request.body);
  if (!response.ok()) return Error{ErrorCode::Unavailable, "face_unavailable", response.error().detail};
  if (response->status < 200 || response->status >= 300)
    return Error{ErrorCode::Unavailable, "face_unavailable", "service answered HTTP " + std::to_string(response->status)};
  auto answer = nlohmann::json::parse(response->body, nullptr, false);
  if (!answer.is_object() || !answer.contains("match") || !answer["match"].is_boolean())
    return Error{ErrorCode::Unavailable, "face_unavailable", "service answer has no boolean `match`"};
  return answer["match"].get<bool>();
}

}  // namespace veil::identity
