#include "engine/consent/receipt_signer.hpp"

#include <sodium.h>

#include <array>

#include "engine/vault/master_key_file.hpp"
#include "util/encoding.hpp"

namespace veil::engine {

namespace {
// The signed bytes: the receipt without its signature, as nlohmann dumps it (keys sorted, no
// spaces), which a verifier can reproduce with any JSON library that sorts keys.
std::string signed_bytes(nlohmann::json receipt) {
  receipt.erase("signature");
  return receipt.dump();
}
}  // namespace

ReceiptSigner::ReceiptSigner(SecretBytes secret_key) : secret_key_(std::move(secret_key)) {}

Result<ReceiptSigner> ReceiptSigner::open(const std::filesystem::path& path) {
  if (sodium_init() < 0) return Error::internal("libsodium failed to initialise");
  // The file holds the 32-byte seed; the key pair is derived from it.
  SecretBytes seed = VEIL_TRY(load_key_file(path, crypto_sign_SEEDBYTES, true));
  SecretBytes secret(crypto_sign_SECRETKEYBYTES);
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> pk{};
  crypto_sign_seed_keypair(pk.data(), secret.data(), seed.data());
  return ReceiptSigner(std::move(secret));
}

std::string ReceiptSigner::public_key_base64url() const {
  return to_base64url(std::span<const std::uint8_t>(secret_key_.data() + crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES));
}

nlohmann::json ReceiptSigner::receipt(const ConsentRecord& record, const DataMap& map, const PolicyDocuments& documents,
                                      const std::string& policy_text_sha256) const {
  using nlohmann::json;
  json purposes = json::array();
  bool sensitive = false;
  json sensitive_categories = json::array();
  for (const auto& pid : record.purposes) {
    const Purpose* p = map.purpose(pid);
    if (!p) continue;
    json categories = json::array();
    for (const auto& fid : p->fields) {
      const Category* c = map.category(map.field(fid)->category);
      if (std::find(categories.begin(), categories.end(), c->id) == categories.end()) categories.push_back(c->id);
      if (c->sensitive) {
        sensitive = true;
        if (std::find(sensitive_categories.begin(), sensitive_categories.end(), c->id) == sensitive_categories.end())
          sensitive_categories.push_back(c->id);
      }
    }
    json separate = json::array();
    for (auto k : p->separate) separate.push_back(to_string(k));
    bool third_party = std::any_of(map.recipients().begin(), map.recipients().end(), [&](const Recipient& r) {
      return std::find(r.purposes.begin(), r.purposes.end(), pid) != r.purposes.end();
    });
    purposes.push_back({{"purpose", pid},
                        {"service", p->feature},
                        {"purposeDescription", {{"zh-CN", p->description.zh_cn}, {"en", p->description.en}}},
                        {"legalBasis", to_string(p->basis)},
                        {"separateConsent", separate},
                        {"piiCategory", categories},
                        {"thirdPartyDisclosure", third_party}});
  }
  json r{{"version", "KI-CR-v1.1.0"},
         {"jurisdiction", "CN"},
         {"consentReceiptID", record.subject + "-" + std::to_string(record.seq)},
         {"consentTimestamp", record.at},
         {"collectionMethod", record.channel},
         {"action", to_string(record.action)},
         {"piiPrincipalId", record.subject},
         {"piiControllers", json::array({{{"piiController", documents.controller_name().zh_cn},
                                          {"piiControllerEn", documents.controller_name().en}}})},
         {"policyUrl", "/api/v1/policy/documents/privacy-policy"},
         {"policyVersion", record.policy_version},
         {"policyTextSha256", policy_text_sha256},
         {"purposes", purposes},
         {"sensitive", sensitive},
         {"spiCat", sensitive_categories},
         {"ledger", {{"seq", record.seq}, {"hash", record.hash}, {"prevHash", record.prev_hash}}},
         {"publicKey", public_key_base64url()}};
  std::string message = signed_bytes(r);
  std::array<std::uint8_t, crypto_sign_BYTES> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const std::uint8_t*>(message.data()), message.size(),
                       secret_key_.data());
  r["signature"] = {{"alg", "Ed25519"}, {"value", to_base64url(sig)}};
  return r;
}

bool ReceiptSigner::verify(const nlohmann::json& receipt, const std::string& public_key_base64url) {
  if (!receipt.is_object() || !receipt.contains("signature") || !receipt["signature"].is_object() ||
      !receipt["signature"].contains("value") || !receipt["signature"]["value"].is_string())
    return false;
  auto sig = from_base64url(receipt["signature"]["value"].get<std::string>());
  auto pk = from_base64url(public_key_base64url);
  if (!sig || !pk || sig->size() != crypto_sign_BYTES || pk->size() != crypto_sign_PUBLICKEYBYTES) return false;
  std::string message = signed_bytes(receipt);
  return crypto_sign_verify_detached(sig->data(), reinterpret_cast<const std::uint8_t*>(message.data()), message.size(),
                                     pk->data()) == 0;
}

}  // namespace veil::engine
