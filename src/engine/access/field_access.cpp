#include "engine/access/field_access.hpp"

namespace veil::engine {

Result<const Field*> FieldAccess::declared(std::string_view field) const {
  const Field* f = map_.field(field);
  // An undeclared field is a programming error in a module, never a user's mistake.
  if (!f) return Error::internal("field " + std::string(field) + " is not in the data map");
  return f;
}

Status FieldAccess::check(store::Session& s, const std::string& subject, std::string_view purpose,
                          std::string_view field) const {
  const Purpose* p = map_.purpose(purpose);
  if (!p) return Error::internal("purpose " + std::string(purpose) + " is not in the data map");
  if (!p->uses(field))
    return Error{ErrorCode::PermissionDenied, "purpose_mismatch",
                 "purpose " + std::string(purpose) + " does not declare field " + std::string(field)};
  if (p->needs_consent()) {
    bool consented = VEIL_TRY(ledger_.has(s, subject, purpose));
    if (!consented)
      return Error{ErrorCode::ConsentRequired, "consent_required", "no active consent for " + std::string(purpose)};
  }
  return {};
}

Result<store::Value> FieldAccess::encode(store::Session& s, const std::string& subject, std::string_view purpose,
                                         std::string_view field, std::optional<std::string_view> plaintext) {
  const Field* f = VEIL_TRY(declared(field));
  VEIL_TRY(check(s, subject, purpose, field));
  if (!plaintext) return store::Value{store::Null{}};
  switch (f->protection) {
    case Protection::Plain: return store::Value{std::string(*plaintext)};
    case Protection::Encrypted: return store::Value{VEIL_TRY(vault_.seal(s, subject, f->id, *plaintext))};
    case Protection::BlindIndex: return store::Value{vault_.blind_index(f->category, *plaintext)};
    case Protection::Hashed: return store::Value{vault_.secret_hash(f->id, *plaintext)};
    case Protection::Ephemeral: break;
  }
  return Error::internal("field " + f->id + " is ephemeral and is never stored");
}

Result<std::optional<Pi<std::string>>> FieldAccess::decode(store::Session& s, const std::string& subject,
                                                           std::string_view purpose, std::string_view field,
                                                           const store::Value& stored) {
  const Field* f = VEIL_TRY(declared(field));
  VEIL_TRY(check(s, subject, purpose, field));
  if (std::holds_alternative<store::Null>(stored)) return std::optional<Pi<std::string>>();
  switch (f->protection) {
    case Protection::Plain:
      if (auto t = std::get_if<std::string>(&stored)) return std::optional<Pi<std::string>>(Pi<std::string>(*t));
      return Error::internal("plain field " + f->id + " is not text");
    case Protection::Encrypted:
      if (auto b = std::get_if<Bytes>(&stored))
        return std::optional<Pi<std::string>>(VEIL_TRY(vault_.unseal(s, subject, f->id, *b)));
      return Error::internal("encrypted field " + f->id + " is not a blob");
    default: break;
  }
  return Error::internal("field " + f->id + " is " + std::string(to_string(f->protection)) + " and cannot be read back");
}

Result<std::string> FieldAccess::index_of(std::string_view field, std::string_view normalized_value) const {
  const Field* f = VEIL_TRY(declared(field));
  if (f->protection != Protection::BlindIndex) return Error::internal("field " + f->id + " is not a blind index");
  return vault_.blind_index(f->category, normalized_value);
}

Result<std::string> FieldAccess::hash_of(std::string_view field, std::string_view secret) const {
  const Field* f = VEIL_TRY(declared(field));
  if (f->protection != Protection::Hashed) return Error::internal("field " + f->id + " is not hashed");
  return vault_.secret_hash(f->id, secret);
}

}  // namespace veil::engine
