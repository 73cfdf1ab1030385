#include "engine/vault/vault.hpp"

#include <sodium.h>

#include <array>
#include <atomic>
#include <cstring>
#include <mutex>

#include "util/encoding.hpp"

namespace veil::engine {

namespace {
constexpr std::size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::uint8_t kSealVersion = 1;
constexpr std::size_t kMaxCachedKeys = 100'000;

std::string field_ad(std::string_view subject, std::string_view field_id) {
  std::string ad;
  ad.reserve(subject.size() + field_id.size() + 1);
  ad.append(subject).push_back('\0');
  ad.append(field_id);
  return ad;
}

// XChaCha20's 192-bit nonce only has to be unique under each key. A random 128-bit prefix drawn
// once per process, followed by a 64-bit counter, is unique without a getrandom() system call per
// seal (a third of a seal's cost). Two processes collide only if their prefixes do (2^-128).
// Veil never forks after sealing; a forked child would have to draw a new prefix.
class NonceSource {
 public:
  NonceSource() { randombytes_buf(prefix_.data(), prefix_.size()); }
  void next(std::uint8_t* out) {
    std::uint64_t n = counter_.fetch_add(1, std::memory_order_relaxed);
    std::memcpy(out, prefix_.data(), prefix_.size());
    std::memcpy(out + prefix_.size(), &n, sizeof n);
  }

 private:
  std::array<std::uint8_t, kNonceBytes - sizeof(std::uint64_t)> prefix_{};
  std::atomic<std::uint64_t> counter_{0};
};

Bytes aead_encrypt(const std::uint8_t* key, std::span<const std::uint8_t> plain, std::string_view ad, std::size_t prefix) {
  static NonceSource nonces;
  Bytes out(prefix + kNonceBytes + plain.size() + kTagBytes);
  std::uint8_t* nonce = out.data() + prefix;
  nonces.next(nonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonceBytes, &written, plain.data(), plain.size(),
                                             reinterpret_cast<const std::uint8_t*>(ad.data()), ad.size(), nullptr, nonce, key);
  return out;
}

bool aead_decrypt(const std::uint8_t* key, std::span<const std::uint8_t> box, std::string_view ad, std::uint8_t* plain_out) {
  if (box.size() < kNonceBytes + kTagBytes) return false;
  unsigned long long written = 0;
  return crypto_aead_xchacha20poly1305_ietf_decrypt(plain_out, &written, nullptr, box.data() + kNonceBytes,
                                                    box.size() - kNonceBytes, reinterpret_cast<const std::uint8_t*>(ad.data()),
                                                    ad.size(), box.data(), key) == 0;
}

Error vault_error(std::string detail) { return Error{ErrorCode::Internal, "vault_error", std::move(detail)}; }
}  // namespace

Bytes Vault::wrap_with(const MasterKey& master, const SecretBytes& key, std::string_view label) {
  return aead_encrypt(master.key.data(), key.view(), label, 0);
}

Result<SecretBytes> Vault::unwrap_with(const std::vector<MasterKey>& ring, std::span<const std::uint8_t> wrapped,
                                       std::string_view key_id, std::string_view label) {
  for (const MasterKey& master : ring) {
    if (master.key_id != key_id) continue;
    if (wrapped.size() != kNonceBytes + kKeyBytes + kTagBytes) return vault_error("wrapped key has the wrong size");
    SecretBytes key(kKeyBytes);
    if (!aead_decrypt(master.key.data(), wrapped, label, key.data())) return vault_error("wrapped key does not open");
    return key;
  }
  return vault_error("no master key with id " + std::string(key_id) + " in the keyring");
}

Result<std::unique_ptr<Vault>> Vault::open(store::Database& db, std::vector<MasterKey> keyring, const Clock& clock) {
  if (sodium_init() < 0) return vault_error("libsodium failed to initialise");
  if (keyring.empty()) return vault_error("empty keyring");
  std::unique_ptr<Vault> vault(new Vault(std::move(keyring), clock));
  // The index and hash keys are random, wrapped by the master key and kept in the database, so a
  // master-key rotation rewraps them instead of invalidating every stored index.
  for (auto [name, slot] : {std::pair{"blind_index_key", &vault->index_key_}, std::pair{"secret_hash_key", &vault->hash_key_}}) {
    const std::string key_name = name;
    SecretBytes* target = slot;
    VEIL_TRY(db.transaction([&](store::Session& s) -> Status {
      auto rows = VEIL_TRY(s.query("SELECT wrapped, master_key_id FROM vault_meta WHERE name = ?", {store::Value{key_name}}));
      if (!rows.empty()) {
        *target = VEIL_TRY(vault->unwrap(rows[0].blob(0), rows[0].text(1), key_name));
        return {};
      }
      SecretBytes fresh = SecretBytes::random(kKeyBytes);
      Bytes wrapped = vault->wrap(fresh, key_name);
      VEIL_TRY(s.execute("INSERT INTO vault_meta (name, wrapped, master_key_id, updated_at) VALUES (?, ?, ?, ?)",
                         {store::Value{key_name}, store::Value{wrapped}, store::Value{vault->current_key_id()},
                          store::Value{clock.now()}}));
      *target = std::move(fresh);
      return {};
    }));
  }
  return vault;
}

Result<SecretBytes> Vault::subject_key(store::Session& s, std::string_view subject, bool create) {
  const std::string id(subject);
  {
    std::shared_lock read(key_cache_mutex_);
    auto it = key_cache_.find(id);
    if (it != key_cache_.end() && clock_.now() - it->second.loaded_at < kKeyCacheLifetime) return it->second.key.copy();
  }
  auto rows = VEIL_TRY(s.query("SELECT wrapped_key, master_key_id FROM subject_keys WHERE subject_id = ?", {store::Value{id}}));
  SecretBytes key;
  if (!rows.empty()) {
    key = VEIL_TRY(unwrap(rows[0].blob(0), rows[0].text(1), "veil-dek|" + id));
  } else {
    if (!create) return Error{ErrorCode::NotFound, "subject_key_missing", "no data key (shredded or never created)"};
    key = SecretBytes::random(kKeyBytes);
    Bytes wrapped = wrap(key, "veil-dek|" + id);
    VEIL_TRY(s.execute("INSERT INTO subject_keys (subject_id, wrapped_key, master_key_id, created_at) VALUES (?, ?, ?, ?)",
                       {store::Value{id}, store::Value{wrapped}, store::Value{current_key_id()}, store::Value{clock_.now()}}));
  }
  std::unique_lock write(key_cache_mutex_);
  if (key_cache_.size() >= kMaxCachedKeys) key_cache_.erase(key_cache_.begin());
  key_cache_.insert_or_assign(id, CachedKey{key.copy(), clock_.now()});
  return key;
}

Result<Bytes> Vault::seal(store::Session& s, std::string_view subject, std::string_view field_id, std::string_view plaintext) {
  SecretBytes key = VEIL_TRY(subject_key(s, subject, true));
  Bytes out = aead_encrypt(key.data(), as_bytes(plaintext), field_ad(subject, field_id), 1);
  out[0] = kSealVersion;
  return out;
}

Result<Pi<std::string>> Vault::unseal(store::Session& s, std::string_view subject, std::string_view field_id,
                                      std::span<const std::uint8_t> sealed) {
  if (sealed.size() < 1 + kNonceBytes + kTagBytes || sealed[0] != kSealVersion) return vault_error("not a sealed value");
  SecretBytes key = VEIL_TRY(subject_key(s, subject, false));
  std::string plain(sealed.size() - 1 - kNonceBytes - kTagBytes, '\0');
  if (!aead_decrypt(key.data(), sealed.subspan(1), field_ad(subject, field_id), reinterpret_cast<std::uint8_t*>(plain.data())))
    return vault_error("sealed value does not open for this subject and field");
  return Pi<std::string>(std::move(plain));
}

namespace {
// Keyed BLAKE2b-256 over "domain \0 value": the domain keeps one kind of value from ever
// matching another.
std::string keyed_hash(const SecretBytes& key, std::string_view domain, std::string_view value) {
  std::array<std::uint8_t, 32> out{};
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), key.size(), out.size());
  crypto_generichash_update(&st, reinterpret_cast<const std::uint8_t*>(domain.data()), domain.size());
  const std::uint8_t separator = 0;
  crypto_generichash_update(&st, &separator, 1);
  crypto_generichash_update(&st, reinterpret_cast<const std::uint8_t*>(value.data()), value.size());
  crypto_generichash_final(&st, out.data(), out.size());
  return to_hex(out);
}
}  // namespace

std::string Vault::blind_index(std::string_view domain, std::string_view normalized_value) const {
  return keyed_hash(index_key_, domain, normalized_value);
}

std::string Vault::secret_hash(std::string_view domain, std::string_view secret) const {
  return keyed_hash(hash_key_, domain, secret);
}

Status Vault::shred(store::Session& s, std::string_view subject) {
  VEIL_TRY(s.execute("DELETE FROM subject_keys WHERE subject_id = ?", {store::Value{std::string(subject)}}));
  std::unique_lock write(key_cache_mutex_);
  key_cache_.erase(std::string(subject));
  return {};
}

Status Vault::rotate_master(store::Database& db, MasterKey next) {
  // The new ring is only a local until the rewrap commits: a failed rotation leaves this vault
  // wrapping under the key that is still current on disk.
  std::vector<MasterKey> ring;
  ring.push_back(std::move(next));
  for (const auto& k : keyring_) ring.push_back(MasterKey{k.key.copy(), k.key_id});
  const MasterKey& current = ring.front();
  VEIL_TRY(db.transaction([&](store::Session& s) -> Status {
    auto subjects = VEIL_TRY(s.query("SELECT subject_id, wrapped_key, master_key_id FROM subject_keys", {}));
    for (const auto& row : subjects) {
      std::string label = "veil-dek|" + row.text(0);
      SecretBytes key = VEIL_TRY(unwrap_with(ring, row.blob(1), row.text(2), label));
      VEIL_TRY(s.execute("UPDATE subject_keys SET wrapped_key = ?, master_key_id = ? WHERE subject_id = ?",
                         {store::Value{wrap_with(current, key, label)}, store::Value{current.key_id}, store::Value{row.text(0)}}));
    }
    auto metas = VEIL_TRY(s.query("SELECT name, wrapped, master_key_id FROM vault_meta", {}));
    for (const auto& row : metas) {
      SecretBytes key = VEIL_TRY(unwrap_with(ring, row.blob(1), row.text(2), row.text(0)));
      VEIL_TRY(s.execute("UPDATE vault_meta SET wrapped = ?, master_key_id = ?, updated_at = ? WHERE name = ?",
                         {store::Value{wrap_with(current, key, row.text(0))}, store::Value{current.key_id},
                          store::Value{clock_.now()}, store::Value{row.text(0)}}));
    }
    return {};
  }));
  keyring_ = std::move(ring);
  return {};
}

}  // namespace veil::engine
