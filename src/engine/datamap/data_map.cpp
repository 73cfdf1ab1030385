#include "engine/datamap/data_map.hpp"

#include <algorithm>

namespace veil::engine {

std::string_view to_string(Lang lang) { return lang == Lang::ZhCN ? "zh-CN" : "en"; }

std::optional<Lang> parse_lang(std::string_view text) {
  if (text == "zh-CN" || text == "zh" || text == "zh-cn") return Lang::ZhCN;
  if (text == "en" || text.starts_with("en-")) return Lang::En;
  return std::nullopt;
}

std::string_view to_string(Protection p) {
  switch (p) {
    case Protection::Plain: return "plain";
    case Protection::Encrypted: return "encrypted";
    case Protection::Hashed: return "hashed";
    case Protection::BlindIndex: return "blind_index";
    case Protection::Ephemeral: return "ephemeral";
  }
  return "plain";
}

std::string_view to_string(Basis b) {
  switch (b) {
    case Basis::Consent: return "consent";
    case Basis::SeparateConsent: return "separate_consent";
    case Basis::Contract: return "contract";
    case Basis::LegalObligation: return "legal_obligation";
    case Basis::VitalInterest: return "vital_interest";
    case Basis::PublicInfo: return "public_info";
  }
  return "contract";
}

std::string_view to_string(SeparateKind k) {
  switch (k) {
    case SeparateKind::Sensitive: return "sensitive";
    case SeparateKind::ThirdParty: return "third_party";
    case SeparateKind::PublicDisclosure: return "public_disclosure";
    case SeparateKind::CrossBorder: return "cross_border";
    case SeparateKind::Minor: return "minor";
  }
  return "sensitive";
}

std::string_view to_string(Location l) { return l == Location::Mainland ? "mainland" : "outside"; }

bool Purpose::uses(std::string_view field_id) const {
  return std::find(fields.begin(), fields.end(), field_id) != fields.end();
}

bool Purpose::given_by_guardian() const {
  return std::find(separate.begin(), separate.end(), SeparateKind::Minor) != separate.end();
}

namespace {
template <class T>
const T* by_id(const std::vector<T>& items, std::string_view id) {
  for (const auto& x : items)
    if (x.id == id) return &x;
  return nullptr;
}
}  // namespace

const Category* DataMap::category(std::string_view id) const { return by_id(categories_, id); }
const Field* DataMap::field(std::string_view id) const { return by_id(fields_, id); }
const Feature* DataMap::feature(std::string_view id) const { return by_id(features_, id); }
const Purpose* DataMap::purpose(std::string_view id) const { return by_id(purposes_, id); }

const TableDecl* DataMap::table(std::string_view name) const {
  for (const auto& t : tables_)
    if (t.name == name) return &t;
  return nullptr;
}

bool DataMap::is_personal_table(std::string_view name) const {
  const TableDecl* t = table(name);
  if (!t) return false;
  if (t->owner) return true;
  return std::any_of(fields_.begin(), fields_.end(), [&](const Field& f) { return f.table == name; });
}

std::vector<std::string> DataMap::personal_tables() const {
  std::vector<std::string> out;
  for (const auto& t : tables_)
    if (is_personal_table(t.name)) out.push_back(t.name);
  return out;
}

}  // namespace veil::engine
