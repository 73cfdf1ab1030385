#pragma once
// Consent receipts (PRIVACY_ENGINE §2), shaped after the Kantara Consent Receipt / ISO/IEC 27560:
// what was consented to, under which exact policy text (its SHA-256), where in the ledger, signed
// with the platform's Ed25519 key so the person can verify it offline.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "engine/consent/consent_ledger.hpp"
#include "engine/policy/policy_documents.hpp"
#include "util/secret_bytes.hpp"

namespace veil::engine {

class ReceiptSigner {
 public:
  // Loads the signing key from `path` (0600), creating it on first run.
  static Result<ReceiptSigner> open(const std::filesystem::path& path);

  nlohmann::json receipt(const ConsentRecord& record, const DataMap& map, const PolicyDocuments& documents,
                         const std::string& policy_text_sha256) const;
  std::string public_key_base64url() const;
  // Checks a receipt's signature against a public key: what a person does offline.
  static bool verify(const nlohmann::json& receipt, const std::string& public_key_base64url);

 private:
  explicit ReceiptSigner(SecretBytes secret_key);
  SecretBytes secret_key_;  // Ed25519 secret key (64 bytes, public key in its second half)
};

}  // namespace veil::engine
