#include "engine/policy/policy_documents.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "engine/audit/chain_hash.hpp"

namespace veil::engine {

namespace {

using nlohmann::json;

std::string pick(Lang lang, const char* zh, const char* en) { return lang == Lang::ZhCN ? zh : en; }

std::string yes_no(Lang lang, bool v) { return v ? pick(lang, "是", "Yes") : pick(lang, "否", "No"); }

std::string basis_text(Lang lang, Basis b) {
  switch (b) {
    case Basis::Consent: return pick(lang, "您的同意", "Your consent");
    case Basis::SeparateConsent: return pick(lang, "您的单独同意", "Your separate consent");
    case Basis::Contract: return pick(lang, "履行与您的合同所必需", "Needed to provide the service you asked for");
    case Basis::LegalObligation: return pick(lang, "履行法定义务所必需", "Required by law");
    case Basis::VitalInterest: return pick(lang, "保护生命健康和财产安全所必需", "Needed to protect life, health or property");
    case Basis::PublicInfo: return pick(lang, "已合法公开的信息", "Information already lawfully public");
  }
  return {};
}

std::string separate_text(Lang lang, SeparateKind k) {
  switch (k) {
    case SeparateKind::Sensitive: return pick(lang, "处理敏感个人信息", "processing sensitive information");
    case SeparateKind::ThirdParty: return pick(lang, "向第三方提供", "giving it to a third party");
    case SeparateKind::PublicDisclosure: return pick(lang, "公开", "making it public");
    case SeparateKind::CrossBorder: return pick(lang, "向境外提供", "transfer outside mainland China");
    case SeparateKind::Minor: return pick(lang, "处理不满14周岁儿童的个人信息", "processing a child's information");
  }
  return {};
}

std::string protection_text(Lang lang, Protection p) {
  switch (p) {
    case Protection::Plain: return pick(lang, "访问控制", "Access control");
    case Protection::Encrypted: return pick(lang, "按用户密钥加密", "Encrypted with your own key");
    case Protection::Hashed: return pick(lang, "仅存哈希", "Stored only as a hash");
    case Protection::BlindIndex: return pick(lang, "带密钥盲索引", "Keyed blind index");
    case Protection::Ephemeral: return pick(lang, "即时处理、不存储", "Processed, never stored");
  }
  return {};
}

std::string retention_text(Lang lang, const Retention& r) {
  if (r.until_cancellation) return pick(lang, "至注销账号", "Until you close your account");
  if (r.text.empty()) return pick(lang, "不保存", "Not kept");
  std::string n = r.text.substr(0, r.text.find_first_not_of("0123456789"));
  std::string unit = r.text.substr(n.size());
  static const std::map<std::string, std::pair<const char*, const char*>> kUnits = {
      {"m", {"分钟", " minutes"}}, {"h", {"小时", " hours"}}, {"d", {"天", " days"}},
      {"mo", {"个月", " months"}}, {"y", {"年", " years"}}};
  auto u = kUnits.find(unit);
  std::string span = u == kUnits.end() ? r.text : n + (lang == Lang::ZhCN ? u->second.first : u->second.second);
  // When the period starts matters as much as its length: "6 months after closure" is longer.
  static const std::map<std::string, std::pair<const char*, const char*>> kFrom = {
      {"cancellation", {"注销账号后", " after you close your account"}},
      {"delivery", {"送达后", " after delivery"}},
      {"last_use", {"最后一次使用后", " after last use"}},
      {"delivered_at", {"寄出后", " after it is sent"}}};
  if (r.from == "collected") return span;
  // A period that starts at a recorded moment names its column ("table.delivered_at").
  auto from = kFrom.find(r.from.substr(r.from.find('.') + 1));
  if (from == kFrom.end()) return lang == Lang::ZhCN ? r.from + "后" + span : span + " after " + r.from;
  return lang == Lang::ZhCN ? std::string(from->second.first) + span : span + from->second.second;
}

std::string join(const std::vector<std::string>& items, Lang lang) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += lang == Lang::ZhCN ? "、" : ", ";
    out += s;
  }
  return out;
}

Result<LocalText> read_local(const toml::node_view<const toml::node> node, const std::string& path, std::string_view key) {
  auto zh = node["zh-CN"].value<std::string>();
  auto en = node["en"].value<std::string>();
  if (!zh || !en)
    return Error{ErrorCode::InvalidArgument, "policy_fragments_invalid", path + ": `" + std::string(key) + "` needs zh-CN and en"};
  return LocalText{*zh, *en};
}

}  // namespace

Result<PolicyFragments> PolicyFragments::load_file(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error{ErrorCode::InvalidArgument, "policy_fragments_invalid",
                 path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description())};
  }
  const toml::table& croot = root;
  PolicyFragments f;
  f.controller_name = VEIL_TRY(read_local(croot["controller"]["name"], path, "controller.name"));
  f.controller_contact = VEIL_TRY(read_local(croot["controller"]["contact"], path, "controller.contact"));
  f.summary = VEIL_TRY(read_local(croot["summary"], path, "summary"));
  if (const toml::table* sections = croot["sections"].as_table()) {
    for (const auto& [key, node] : *sections) {
      f.sections[std::string(key.str())] =
          VEIL_TRY(read_local(toml::node_view<const toml::node>(&node), path, "sections." + std::string(key.str())));
    }
  }
  for (const char* needed : {"intro", "minimal_mode", "protection", "rights", "minors", "storage", "changes"})
    if (!f.sections.count(needed))
      return Error{ErrorCode::InvalidArgument, "policy_fragments_invalid", path + ": missing sections." + needed};
  return f;
}

std::optional<DocumentKind> parse_document_kind(std::string_view id) {
  if (id == "privacy-policy") return DocumentKind::PrivacyPolicy;
  if (id == "collected-pi") return DocumentKind::CollectedPi;
  if (id == "third-parties") return DocumentKind::ThirdParties;
  if (id == "permissions") return DocumentKind::Permissions;
  return std::nullopt;
}

std::string_view to_string(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::PrivacyPolicy: return "privacy-policy";
    case DocumentKind::CollectedPi: return "collected-pi";
    case DocumentKind::ThirdParties: return "third-parties";
    case DocumentKind::Permissions: return "permissions";
  }
  return "privacy-policy";
}

PolicyDocuments::PolicyDocuments(const DataMap& map, PolicyFragments fragments)
    : map_(map), fragments_(std::move(fragments)) {
  text_sha256_ = sha256_hex(json::array({privacy_policy(Lang::ZhCN), privacy_policy(Lang::En)}).dump());
}

std::string PolicyDocuments::section(std::string_view key, Lang lang) const {
  auto it = fragments_.sections.find(std::string(key));
  return it == fragments_.sections.end() ? std::string{} : it->second.in(lang);
}

json PolicyDocuments::render(DocumentKind kind, Lang lang) const {
  switch (kind) {
    case DocumentKind::PrivacyPolicy: return privacy_policy(lang);
    case DocumentKind::CollectedPi: return collected_pi(lang);
    case DocumentKind::ThirdParties: return third_parties(lang);
    case DocumentKind::Permissions: return permissions(lang);
  }
  return json::object();
}

static json document(std::string_view id, Lang lang, std::string title, const std::string& version, json sections) {
  return json{{"id", id}, {"lang", to_string(lang)}, {"title", std::move(title)}, {"version", version},
              {"sections", std::move(sections)}};
}

json PolicyDocuments::collected_table(Lang lang) const {
  json rows = json::array();
  for (const auto& purpose : map_.purposes()) {
    const Feature* feature = map_.feature(purpose.feature);
    for (const auto& fid : purpose.fields) {
      const Field* f = map_.field(fid);
      const Category* c = map_.category(f->category);
      bool required = std::find(feature->required_fields.begin(), feature->required_fields.end(), fid) !=
                      feature->required_fields.end();
      rows.push_back({f->name.in(lang), c->name.in(lang), feature->name.in(lang), purpose.name.in(lang),
                      required ? pick(lang, "必要", "Required") : pick(lang, "可选", "Optional"),
                      yes_no(lang, c->sensitive), protection_text(lang, f->protection), retention_text(lang, f->retention)});
    }
  }
  return json{{"columns", {pick(lang, "个人信息", "Information"), pick(lang, "类别", "Category"),
                           pick(lang, "业务功能", "Feature"), pick(lang, "目的", "Purpose"),
                           pick(lang, "必要/可选", "Required / optional"), pick(lang, "敏感", "Sensitive"),
                           pick(lang, "保护措施", "Protection"), pick(lang, "保存期限", "Kept for")}},
              {"rows", rows}};
}

json PolicyDocuments::recipients_table(Lang lang) const {
  json rows = json::array();
  for (const auto& r : map_.recipients()) {
    std::vector<std::string> fields, purposes;
    for (const auto& f : r.fields) fields.push_back(map_.field(f)->name.in(lang));
    for (const auto& p : r.purposes) purposes.push_back(map_.purpose(p)->name.in(lang));
    rows.push_back({r.name.in(lang), join(fields, lang), join(purposes, lang), r.description.in(lang),
                    r.location == Location::Mainland ? pick(lang, "中国境内", "Mainland China")
                                                     : pick(lang, "境外", "Outside mainland China")});
  }
  return json{{"columns", {pick(lang, "接收方", "Recipient"), pick(lang, "个人信息", "Information"),
                           pick(lang, "目的", "Purpose"), pick(lang, "说明", "Details"), pick(lang, "所在地", "Location")}},
              {"rows", rows}};
}

json PolicyDocuments::permissions_table(Lang lang) const {
  json rows = json::array();
  for (const auto& p : map_.permissions()) {
    std::vector<std::string> features;
    for (const auto& f : map_.features())
      if (std::find(f.permissions.begin(), f.permissions.end(), p.id) != f.permissions.end())
        features.push_back(f.name.in(lang));
    rows.push_back({p.name.in(lang), join(features, lang), p.why.in(lang)});
  }
  return json{{"columns", {pick(lang, "权限", "Permission"), pick(lang, "业务功能", "Feature"),
                           pick(lang, "为何需要", "Why")}},
              {"rows", rows}};
}

json PolicyDocuments::collected_pi(Lang lang) const {
  return document("collected-pi", lang, pick(lang, "个人信息收集清单", "List of personal information collected"),
                  map_.version(), json::array({{{"heading", pick(lang, "我们收集的个人信息", "What we collect")},
                                                {"paragraphs", json::array()},
                                                {"table", collected_table(lang)}}}));
}

json PolicyDocuments::third_parties(Lang lang) const {
  return document("third-parties", lang, pick(lang, "第三方共享个人信息清单", "Third-party sharing list"),
                  map_.version(), json::array({{{"heading", pick(lang, "接收方", "Recipients")},
                                                {"paragraphs", json::array()},
                                                {"table", recipients_table(lang)}}}));
}

json PolicyDocuments::permissions(Lang lang) const {
  return document("permissions", lang, pick(lang, "权限列表", "Device permission list"), map_.version(),
                  json::array({{{"heading", pick(lang, "设备权限", "Device permissions")},
                                {"paragraphs", json::array({pick(lang, "仅在您使用需要该权限的功能时才会请求。",
                                                                 "Asked only when you use a feature that needs it.")})},
                                {"table", permissions_table(lang)}}}));
}

json PolicyDocuments::privacy_policy(Lang lang) const {
  json sections = json::array();
  auto add = [&](std::string heading, json paragraphs, json table = nullptr) {
    json s{{"heading", std::move(heading)}, {"paragraphs", std::move(paragraphs)}};
    if (!table.is_null()) s["table"] = std::move(table);
    sections.push_back(std::move(s));
  };
  add(pick(lang, "概述", "Overview"), json::array({section("intro", lang), fragments_.controller_name.in(lang),
                                                    section("minimal_mode", lang)}));
  json purposes = json::array();
  for (const auto& p : map_.purposes()) {
    std::string line = p.name.in(lang) + pick(lang, "：", ": ") + p.description.in(lang) + " " +
                       pick(lang, "法律依据：", "Legal basis: ") + basis_text(lang, p.basis);
    if (!p.separate.empty()) {
      std::vector<std::string> kinds;
      for (auto k : p.separate) kinds.push_back(separate_text(lang, k));
      line += pick(lang, "（单独同意：", " (separate consent for ") + join(kinds, lang) + pick(lang, "）", ")");
    }
    purposes.push_back(line);
  }
  add(pick(lang, "一、我们如何收集和使用个人信息", "1. What we collect and why"), purposes, collected_table(lang));
  add(pick(lang, "二、设备权限", "2. Device permissions"), json::array(), permissions_table(lang));
  add(pick(lang, "三、共享、转让与公开披露", "3. Sharing, transfer and disclosure"),
      json::array({pick(lang, "我们仅向下列接收方提供其目的所必需的个人信息，并记录每一次提供。",
                        "We give the recipients below only what their purpose needs, and record every time we do.")}),
      recipients_table(lang));
  add(pick(lang, "四、我们如何保护个人信息", "4. How we protect it"), json::array({section("protection", lang)}));
  add(pick(lang, "五、您的权利", "5. Your rights"), json::array({section("rights", lang)}));
  add(pick(lang, "六、未成年人", "6. Minors"), json::array({section("minors", lang)}));
  add(pick(lang, "七、存储地点与期限", "7. Where and how long we keep it"), json::array({section("storage", lang)}));
  add(pick(lang, "八、本政策的更新", "8. Changes to this policy"), json::array({section("changes", lang)}));
  add(pick(lang, "九、联系我们", "9. Contact"), json::array({fragments_.controller_contact.in(lang)}));
  return document("privacy-policy", lang, pick(lang, "隐私政策", "Privacy policy"), map_.version(), sections);
}

}  // namespace veil::engine
