#include "app/api/json_views.hpp"

namespace veil::app {

nlohmann::json me_json(const accounts::Me& me) {
  nlohmann::json profile = nlohmann::json::object();
  for (const auto& [key, value] : me.profile) profile[key] = value ? nlohmann::json(value->reveal()) : nlohmann::json(nullptr);
  return {{"id", me.id},
          {"phone_masked", me.phone_masked},
          {"status", accounts::to_string(me.status)},
          {"minor", me.minor},
          {"roles", me.roles},
          {"has_password", me.has_password},
          {"profile_consent", me.profile_consent},
          {"profile", profile},
          {"created_at", me.created_at}};
}

nlohmann::json signed_in_json(const accounts::SignedIn& s) {
  return {{"token", s.token}, {"created", s.created}, {"account", me_json(s.me)}};
}

}  // namespace veil::app
