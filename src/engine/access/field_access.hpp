#pragma once
// The typed accessor through which modules read and write personal information. Every call names
// a subject, a purpose and a field; the data map says whether that purpose may use that field,
// whether it rests on consent (then the ledger must show it, now), and how the field is protected
// (encrypted, blind-indexed, hashed). A module cannot store PI without passing through here.
#include <optional>
#include <string>
#include <string_view>

#include "engine/consent/consent_ledger.hpp"
#include "engine/datamap/data_map.hpp"
#include "engine/vault/vault.hpp"

namespace veil::engine {

class FieldAccess {
 public:
  FieldAccess(const DataMap& map, Vault& vault, const ConsentLedger& ledger) : map_(map), vault_(vault), ledger_(ledger) {}

  // Refuses a purpose that does not declare the field, and a consent-based purpose the subject
  // has not (or no longer) consented to.
  Status check(store::Session& s, const std::string& subject, std::string_view purpose, std::string_view field) const;

  // The value to store for `plaintext` (nullopt stores NULL), after `check`.
  Result<store::Value> encode(store::Session& s, const std::string& subject, std::string_view purpose,
                              std::string_view field, std::optional<std::string_view> plaintext);
  // The plaintext of a stored value (nullopt for NULL), after `check`. Hashed and indexed fields
  // cannot be read back.
  Result<std::optional<Pi<std::string>>> decode(store::Session& s, const std::string& subject, std::string_view purpose,
                                                std::string_view field, const store::Value& stored);

  // Lookups need no subject: the index of a value in the domain of `field`'s category.
  Result<std::string> index_of(std::string_view field, std::string_view normalized_value) const;
  // A keyed hash for a compared-only secret stored in a `hashed` field (codes, tokens).
  Result<std::string> hash_of(std::string_view field, std::string_view secret) const;

 private:
  Result<const Field*> declared(std::string_view field) const;
  const DataMap& map_;
  Vault& vault_;
  const ConsentLedger& ledger_;
};

}  // namespace veil::engine
