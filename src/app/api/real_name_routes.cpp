// Real-name verification for the signed-in account (B1, B2). The face photo arrives as base64 in
// the JSON body, is decoded into wiped memory, compared, and dropped.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

namespace {
// A photo of at most 1 MiB is at most 1.4 MB of base64, plus the data: URL prefix and the rest.
constexpr std::size_t kPhotoField = 1'400'000 + 64;
constexpr std::size_t kPhotoBody = kPhotoField + 4096;

json status_json(const identity::RealNameStatus& st) {
  json out = {{"verified", st.verified}};
  if (st.verified) {
    out["name_masked"] = st.name_masked;
    out["id_number_masked"] = st.id_number_masked;
    out["verified_at"] = st.verified_at;
    out["face_checked_at"] = st.face_checked_at;
  }
  return out;
}
}  // namespace

void add_real_name_routes(http::Router& router, ApiContext& ctx) {
  router.add("GET", "/api/v1/me/real-name", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      return json_response(200, status_json(VEIL_TRY(ctx.real_names.status(id))));
    });
  });
  router.add(
      "POST", "/api/v1/me/real-name",
      [&ctx](http::Request& request) {
        return ctx.answer([&]() -> Result<http::Response> {
          std::string id = VEIL_TRY(ctx.account_of(request));
          json body = VEIL_TRY(json_body(request, {"name", "id_number", "face_image"}));
          std::string name = VEIL_TRY(required_string(body, "name", 160));
          std::string number = VEIL_TRY(required_string(body, "id_number", 32));
          SecretBytes photo = VEIL_TRY(identity::decode_face_photo(VEIL_TRY(required_string(body, "face_image", kPhotoField))));
          return json_response(200, status_json(VEIL_TRY(ctx.real_names.verify(id, name, number, photo))));
        });
      },
      kPhotoBody);
  router.add(
      "POST", "/api/v1/me/real-name/face",
      [&ctx](http::Request& request) {
        return ctx.answer([&]() -> Result<http::Response> {
          std::string id = VEIL_TRY(ctx.account_of(request));
          json body = VEIL_TRY(json_body(request, {"face_image"}));
          SecretBytes photo = VEIL_TRY(identity::decode_face_photo(VEIL_TRY(required_string(body, "face_image", kPhotoField))));
          return json_response(200, status_json(VEIL_TRY(ctx.real_names.recheck_face(id, photo))));
        });
      },
      kPhotoBody);
}

}  // namespace veil::app
