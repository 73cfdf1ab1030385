#include "engine/datamap/data_map.hpp"

#include <algorithm>

namespace veil::engine {

std::string_view to_string(Lang lang) { return lang == Lang::ZhCN ? "zh-CN" : "en"; }

std::optional<Lang> parse_lang(std::string_view text) {
  if (text == "zh-CN" || text == "zh" || text == "zh-cn") return Lang::ZhCN;
  if (text == "en" || text.starts_with("en-")) return Lang::En;
  return std::nullopt;
}

namespace {

template <class E>
using Names = std::initializer_list<std::pair<std::string_view, E>>;

const Names<Protection> kProtections = {{"plain", Protection::Plain},
                                        {"encrypted", Protection::Encrypted},
                                        {"hashed", Protection::Hashed},
                                        {"blind_index", Protection::BlindIndex},
                                        {"ephemeral", Protection::Ephemeral}};
const Names<Basis> kBases = {{"consent", Basis::Consent},
                             {"separate_consent", Basis::SeparateConsent},
                             {"contract", Basis::Contract},
                             {"legal_obligation", Basis::LegalObligation},
                             {"vital_interest", Basis::VitalInterest},
                             {"public_info", Basis::PublicInfo}};
const Names<SeparateKind> kSeparateKinds = {{"sensitive", SeparateKind::Sensitive},
                                            {"third_party", SeparateKind::ThirdParty},
                                            {"public_disclosure", SeparateKind::PublicDisclosure},
                                            {"cross_border", SeparateKind::CrossBorder},
                                            {"minor", SeparateKind::Minor}};
const Names<Location> kLocations = {{"mainland", Location::Mainland}, {"outside", Location::Outside}};

template <class E>
std::string_view name_of(const Names<E>& names, E value) {
  for (const auto& [name, v] : names)
    if (v == value) return name;
  return "unknown";
}

template <class E>
std::optional<E> value_of(const Names<E>& names, std::string_view name) {
  for (const auto& [n, v] : names)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Protection p) { return name_of(kProtections, p); }
std::string_view to_string(Basis b) { return name_of(kBases, b); }
std::string_view to_string(SeparateKind k) { return name_of(kSeparateKinds, k); }
std::string_view to_string(Location l) { return name_of(kLocations, l); }
std::optional<Protection> parse_protection(std::string_view name) { return value_of(kProtections, name); }
std::optional<Basis> parse_basis(std::string_view name) { return value_of(kBases, name); }
std::optional<SeparateKind> parse_separate_kind(std::string_view name) { return value_of(kSeparateKinds, name); }
std::optional<Location> parse_location(std::string_view name) { return value_of(kLocations, name); }

bool Purpose::uses(std::string_view field_id) const {
  return std::find(fields.begin(), fields.end(), field_id) != fields.end();
}

bool Purpose::asks_separately_for(SeparateKind kind) const {
  return std::find(separate.begin(), separate.end(), kind) != separate.end();
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
