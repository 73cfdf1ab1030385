#pragma once
// Comparing a face photo with the identity it claims ([000] 实名认证: 人脸识别; [004] 一(三)4(4)).
// Implementations: DevFaceProvider (development, compares nothing) and HttpFaceProvider (a
// verification service configured by URL and secret). The photo lives only in memory: it is a
// SecretBytes (zeroed when dropped), and no implementation writes it anywhere.
#include <string>

#include "util/pi.hpp"
#include "util/result.hpp"
#include "util/secret_bytes.hpp"

namespace veil::identity {

struct FaceClaim {
  const Pi<std::string>& name;
  const Pi<std::string>& id_number;
  const Pi<std::string>& phone;
  const SecretBytes& photo;  // JPEG or PNG, checked by decode_face_photo
};

class FaceProvider {
 public:
  virtual ~FaceProvider() = default;
  // true: the face matches the identity; false: it does not. Errors: face_unavailable (503).
  virtual Result<bool> matches(const FaceClaim& claim) = 0;
};

// The photo from a request: base64, optionally a data: URL ("data:image/jpeg;base64,…"), a JPEG
// or PNG of at most kMaxFacePhotoBytes. Errors: face_image_invalid, face_image_too_large.
inline constexpr std::size_t kMaxFacePhotoBytes = 1024 * 1024;
Result<SecretBytes> decode_face_photo(std::string_view text);

}  // namespace veil::identity
