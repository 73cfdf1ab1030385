#include "modules/identity/identity_schema.hpp"

namespace veil::identity {

std::vector<store::Migration> identity_migrations() {
  return {
      // Name and ID number are sealed under the account's key (nullable: withdrawing the consent
      // erases them); the blind index lets one ID number verify one account only.
      {301, "identity: real-name verifications", R"(
CREATE TABLE real_name_verifications (account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
                                      name_cipher BLOB, id_number_cipher BLOB, id_number_bidx TEXT UNIQUE,
                                      verified_at BIGINT NOT NULL, face_checked_at BIGINT NOT NULL);
)"},
  };
}

}  // namespace veil::identity
