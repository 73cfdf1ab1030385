#include <sodium.h>

#include "modules/identity/face_provider.hpp"

namespace veil::identity {

namespace {
bool is_jpeg(const SecretBytes& b) { return b.size() > 3 && b.data()[0] == 0xFF && b.data()[1] == 0xD8 && b.data()[2] == 0xFF; }
bool is_png(const SecretBytes& b) {
  static const std::uint8_t kMagic[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  return b.size() > sizeof kMagic && std::equal(std::begin(kMagic), std::end(kMagic), b.data());
}
}  // namespace

Result<SecretBytes> decode_face_photo(std::string_view text) {
  if (text.starts_with("data:")) {
    auto comma = text.find(',');
    if (comma == std::string_view::npos || text.substr(0, comma).find(";base64") == std::string_view::npos)
      return Error::invalid("face_image_invalid", "not a base64 data URL");
    text.remove_prefix(comma + 1);
  }
  if (text.size() / 4 * 3 > kMaxFacePhotoBytes + 3) return Error{ErrorCode::PayloadTooLarge, "face_image_too_large", ""};
  SecretBytes photo(text.size() / 4 * 3 + 3);
  std::size_t length = 0;
  if (sodium_base642bin(photo.data(), photo.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return Error::invalid("face_image_invalid", "not base64");
  SecretBytes exact(photo.data(), length);
  if (exact.size() > kMaxFacePhotoBytes) return Error{ErrorCode::PayloadTooLarge, "face_image_too_large", ""};
  if (!is_jpeg(exact) && !is_png(exact)) return Error::invalid("face_image_invalid", "neither JPEG nor PNG");
  return exact;
}

}  // namespace veil::identity
