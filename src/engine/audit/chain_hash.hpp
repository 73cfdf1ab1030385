#pragma once
// The link of a hash chain: SHA-256 over the canonical JSON of a record's fields and the previous
// link. A JSON array is unambiguous (no field can spill into the next), and nlohmann's dump is
// deterministic, so anyone can recompute a link from the stored columns.
#include <string>

#include <nlohmann/json.hpp>

namespace veil::engine {

inline constexpr const char* kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

std::string chain_hash(const nlohmann::json& record_fields, const std::string& prev_hash);
std::string sha256_hex(std::string_view data);

}  // namespace veil::engine
