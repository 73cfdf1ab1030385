// The person's rights over what Veil holds about them (issue 11). So far: access.
#include "app/api/api_context.hpp"
#include "app/api/json_request.hpp"

namespace veil::app {

using nlohmann::json;

namespace {

json local(const engine::LocalText& text) { return {{"zh-CN", text.zh_cn}, {"en", text.en}}; }

std::string_view held_as_name(engine::HeldAs held_as) {
  switch (held_as) {
    case engine::HeldAs::Plain: return "plain";
    case engine::HeldAs::Sealed: return "sealed";
    case engine::HeldAs::Indexed: return "indexed";
    case engine::HeldAs::Hashed: return "hashed";
    case engine::HeldAs::Binary: return "binary";
  }
  return "plain";
}

json held_json(const std::vector<engine::HeldCategory>& held) {
  json categories = json::array();
  for (const auto& c : held) {
    json records = json::array();
    for (const auto& r : c.records) {
      json values = json::array();
      for (const auto& v : r.values) {
        json value = {{"column", v.column}, {"held_as", held_as_name(v.held_as)}, {"stored", v.stored}, {"value", v.value ? json(*v.value) : json(nullptr)}};
        if (v.field != nullptr) {
          value["field"] = v.field->id;
          value["name"] = local(v.field->name);
          value["category"] = v.field->category;
        }
        values.push_back(std::move(value));
      }
      records.push_back({{"table", r.table->name}, {"values", std::move(values)}});
    }
    json category = {{"records", std::move(records)}};
    if (c.category != nullptr) {
      category["id"] = c.category->id;
      category["name"] = local(c.category->name);
      category["sensitive"] = c.category->sensitive;
    } else {
      category["id"] = nullptr;
    }
    categories.push_back(std::move(category));
  }
  return {{"categories", std::move(categories)}};
}

}  // namespace

void add_rights_routes(http::Router& router, ApiContext& ctx) {
  // H1: everything held about the caller, by data-map category, found by the map's owner paths.
  router.add("GET", "/api/v1/me/data", [&ctx](http::Request& request) {
    return ctx.answer([&]() -> Result<http::Response> {
      std::string id = VEIL_TRY(ctx.account_of(request));
      return json_response(200, held_json(VEIL_TRY(ctx.data_access.held_about(id))));
    });
  });
}

}  // namespace veil::app
