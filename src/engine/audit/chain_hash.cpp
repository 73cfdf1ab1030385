#include "engine/audit/chain_hash.hpp"

#include <sodium.h>

#include <array>

#include "util/encoding.hpp"

namespace veil::engine {

std::string sha256_hex(std::string_view data) {
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  return to_hex(out);
}

std::string chain_hash(const nlohmann::json& record_fields, const std::string& prev_hash) {
  nlohmann::json link = nlohmann::json::array({record_fields, prev_hash});
  return sha256_hex(link.dump());
}

}  // namespace veil::engine
