#include "modules/accounts/session_service.hpp"

#include <sodium.h>

namespace veil::accounts {

namespace {
Error invalid_session() { return Error{ErrorCode::Unauthenticated, "session_invalid", ""}; }
}  // namespace

Result<std::string> SessionService::hash(std::string_view token) const {
  return engine_.fields().hash_of("session.token", token);
}

Result<std::string> SessionService::create(store::Session& s, const std::string& account_id) {
  Bytes raw(32);
  randombytes_buf(raw.data(), raw.size());
  std::string token = to_base64url(raw);
  Millis now = clock_.now();
  VEIL_TRY(s.execute("INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                     {store::Value{VEIL_TRY(hash(token))}, store::Value{account_id}, store::Value{now},
                      store::Value{now + kLifetime}}));
  return token;
}

Result<std::string> SessionService::resolve(store::Session& s, std::string_view token) const {
  // A well-formed token is 43 base64url characters; anything else is not worth a lookup.
  if (token.size() != 43 || !from_base64url(token)) return invalid_session();
  auto rows = VEIL_TRY(s.query("SELECT account_id, expires_at FROM sessions WHERE token_hash = ?",
                               {store::Value{VEIL_TRY(hash(token))}}));
  if (rows.empty() || rows[0].integer(1) <= clock_.now()) return invalid_session();
  return rows[0].text(0);
}

Status SessionService::revoke(store::Session& s, std::string_view token) {
  VEIL_TRY(s.execute("DELETE FROM sessions WHERE token_hash = ?", {store::Value{VEIL_TRY(hash(token))}}));
  return {};
}

}  // namespace veil::accounts
