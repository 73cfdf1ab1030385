#pragma once
// The vault: per-subject data keys (XChaCha20-Poly1305) wrapped by the master key, keyed blind
// indexes for equality lookups, crypto-shredding and master-key rotation.
//
// Destroying a subject's data key makes every copy of that subject's ciphertext unreadable,
// including copies in backups and in the WAL. Sealed values are bound to their subject and field
// (associated data), so a ciphertext copied into another row does not open.
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/vault/master_key_file.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"
#include "util/pi.hpp"

namespace veil::engine {

class Vault {
 public:
  // `keyring` holds the current master key first, then any older one still wrapping some rows
  // (an interrupted rotation). Creates the blind-index key on first use.
  static Result<std::unique_ptr<Vault>> open(store::Database& db, std::vector<MasterKey> keyring, const Clock& clock);

  // Encrypts a value under the subject's data key, creating the key on first use.
  Result<Bytes> seal(store::Session& s, std::string_view subject, std::string_view field_id, std::string_view plaintext);
  Result<Pi<std::string>> unseal(store::Session& s, std::string_view subject, std::string_view field_id,
                                 std::span<const std::uint8_t> sealed);

  // Keyed BLAKE2b of a normalised value: equal inputs give equal indexes; without the key an index
  // confirms nothing. `domain` separates kinds ("phone", "id_number").
  std::string blind_index(std::string_view domain, std::string_view normalized_value) const;

  // Destroys the subject's data key: their ciphertext anywhere becomes noise. This vault forgets
  // the key at once; another process on the same database (a second node, a command) holds a
  // cached key at most kKeyCacheLifetime longer, in memory only.
  Status shred(store::Session& s, std::string_view subject);
  static constexpr Millis kKeyCacheLifetime = 30 * kSecond;

  // Rewraps every data key and the index key under `next` in one transaction; `next` becomes
  // current only once that transaction has committed.
  Status rotate_master(store::Database& db, MasterKey next);
  const std::string& current_key_id() const { return keyring_.front().key_id; }

  // A keyed hash for secrets we only ever compare (one-time codes, session tokens).
  std::string secret_hash(std::string_view domain, std::string_view secret) const;

 private:
  Vault(std::vector<MasterKey> keyring, const Clock& clock) : keyring_(std::move(keyring)), clock_(clock) {}
  static Result<SecretBytes> unwrap_with(const std::vector<MasterKey>& ring, std::span<const std::uint8_t> wrapped,
                                         std::string_view key_id, std::string_view label);
  static Bytes wrap_with(const MasterKey& master, const SecretBytes& key, std::string_view label);
  Result<SecretBytes> unwrap(std::span<const std::uint8_t> wrapped, std::string_view key_id, std::string_view label) const {
    return unwrap_with(keyring_, wrapped, key_id, label);
  }
  Bytes wrap(const SecretBytes& key, std::string_view label) const { return wrap_with(keyring_.front(), key, label); }
  Result<SecretBytes> subject_key(store::Session& s, std::string_view subject, bool create);

  std::vector<MasterKey> keyring_;
  const Clock& clock_;
  SecretBytes index_key_;
  SecretBytes hash_key_;
  mutable std::shared_mutex key_cache_mutex_;
  struct CachedKey {
    SecretBytes key;
    Millis loaded_at = 0;
  };
  std::unordered_map<std::string, CachedKey> key_cache_;  // subject -> data key; guarded by key_cache_mutex_
};

}  // namespace veil::engine
