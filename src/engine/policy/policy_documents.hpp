#pragma once
// The documents a platform must publish, rendered from the data map (G14): the privacy policy,
// the collected-PI list, the third-party sharing list and the permission list, in zh-CN and en.
// Because they are rendered, they cannot disagree with what the server enforces.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/datamap/data_map.hpp"

namespace veil::engine {

struct PolicyFragments {
  LocalText controller_name;
  LocalText controller_contact;
  LocalText summary;
  std::map<std::string, LocalText> sections;  // intro, minimal_mode, protection, rights, …

  static Result<PolicyFragments> load_file(const std::string& path);
};

enum class DocumentKind { PrivacyPolicy, CollectedPi, ThirdParties, Permissions };
std::optional<DocumentKind> parse_document_kind(std::string_view id);
std::string_view to_string(DocumentKind kind);

class PolicyDocuments {
 public:
  PolicyDocuments(const DataMap& map, PolicyFragments fragments);

  // {"id","lang","title","version","sections":[{"heading","paragraphs":[…],"table"?:{"columns","rows"}}]}
  nlohmann::json render(DocumentKind kind, Lang lang) const;
  // SHA-256 of the privacy policy as rendered in both languages: what an acceptance refers to.
  const std::string& text_sha256() const { return text_sha256_; }
  const LocalText& summary() const { return fragments_.summary; }
  const LocalText& controller_name() const { return fragments_.controller_name; }

 private:
  nlohmann::json privacy_policy(Lang lang) const;
  nlohmann::json collected_pi(Lang lang) const;
  nlohmann::json third_parties(Lang lang) const;
  nlohmann::json permissions(Lang lang) const;
  nlohmann::json collected_table(Lang lang) const;
  nlohmann::json recipients_table(Lang lang) const;
  nlohmann::json permissions_table(Lang lang) const;
  std::string section(std::string_view key, Lang lang) const;

  const DataMap& map_;
  PolicyFragments fragments_;
  std::string text_sha256_;
};

}  // namespace veil::engine
