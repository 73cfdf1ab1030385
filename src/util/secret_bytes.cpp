#include "util/secret_bytes.hpp"

#include <sodium.h>

namespace veil {

SecretBytes::SecretBytes(std::size_t size) : bytes_(size) {}
SecretBytes::SecretBytes(const std::uint8_t* data, std::size_t size) : bytes_(data, data + size) {}
SecretBytes::~SecretBytes() { wipe(); }
SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }
SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

SecretBytes SecretBytes::random(std::size_t size) {
  SecretBytes out(size);
  randombytes_buf(out.data(), size);
  return out;
}

void SecretBytes::wipe() {
  if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
}

}  // namespace veil
