#pragma once
// The master key lives in a file outside the database (so a copy of the database alone reveals
// nothing). It is created with mode 0600 on first run and refused if anyone else may read it.
#include <filesystem>
#include <string>

#include "util/result.hpp"
#include "util/secret_bytes.hpp"

namespace veil::engine {

struct MasterKey {
  SecretBytes key;     // 32 bytes
  std::string key_id;  // 16 hex chars derived from the key: names which key wrapped a data key
};

MasterKey make_master_key(SecretBytes key);

// Reads a hex key file of `size` bytes, creating it (0600, random) when it does not exist and
// `create` is set. Refuses a file whose mode is wider than 0600.
Result<SecretBytes> load_key_file(const std::filesystem::path& path, std::size_t size, bool create);
Result<MasterKey> load_master_key(const std::filesystem::path& path, bool create);
// Writes a key file atomically (temp file, fsync, rename) with mode 0600.
Status write_key_file(const std::filesystem::path& path, const SecretBytes& key);

}  // namespace veil::engine
