#pragma once
// Key material and one-time codes: move-only, zeroed on destruction, never printable.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace veil {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);
  SecretBytes(const std::uint8_t* data, std::size_t size);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  static SecretBytes random(std::size_t size);

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::span<const std::uint8_t> view() const { return bytes_; }
  SecretBytes copy() const { return SecretBytes(bytes_.data(), bytes_.size()); }

 private:
  void wipe();
  std::vector<std::uint8_t> bytes_;
};

}  // namespace veil
