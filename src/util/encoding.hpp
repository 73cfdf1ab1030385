#pragma once
// Byte encodings used at the edges: hex for hashes and ids, base64url for tokens.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace veil {

using Bytes = std::vector<std::uint8_t>;

std::string to_hex(std::span<const std::uint8_t> bytes);
std::optional<Bytes> from_hex(std::string_view hex);
std::string to_base64url(std::span<const std::uint8_t> bytes);
std::optional<Bytes> from_base64url(std::string_view text);
std::span<const std::uint8_t> as_bytes(std::string_view text);
std::string random_id(std::size_t bytes = 16);  // hex of CSPRNG bytes: ids that reveal nothing

}  // namespace veil
