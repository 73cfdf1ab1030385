#pragma once
// The data map in memory: the one declaration of every piece of personal information (see
// datamap/datamap.toml for the format). Loaded and validated once at start-up; immutable after.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.hpp"
#include "util/result.hpp"

namespace veil::engine {

enum class Lang { ZhCN, En };
std::string_view to_string(Lang lang);
std::optional<Lang> parse_lang(std::string_view text);

struct LocalText {
  std::string zh_cn;
  std::string en;
  const std::string& in(Lang lang) const { return lang == Lang::ZhCN ? zh_cn : en; }
};

enum class Protection { Plain, Encrypted, Hashed, BlindIndex, Ephemeral };
enum class Basis { Consent, SeparateConsent, Contract, LegalObligation, VitalInterest, PublicInfo };
enum class SeparateKind { Sensitive, ThirdParty, PublicDisclosure, CrossBorder, Minor };
enum class Location { Mainland, Outside };

// Each enum's names are written once (data_map.cpp) and read both ways.
std::string_view to_string(Protection p);
std::string_view to_string(Basis b);
std::string_view to_string(SeparateKind k);
std::string_view to_string(Location l);
std::optional<Protection> parse_protection(std::string_view name);
std::optional<Basis> parse_basis(std::string_view name);
std::optional<SeparateKind> parse_separate_kind(std::string_view name);
std::optional<Location> parse_location(std::string_view name);

struct Retention {
  bool until_cancellation = false;
  Millis duration = 0;            // when not until_cancellation
  std::string from = "collected"; // the event the duration counts from
  std::string text;               // as written, e.g. "6mo"
};

struct Category {
  std::string id;
  LocalText name;
  bool sensitive = false;
  bool children = false;
  int line = 0;
};

struct Field {
  std::string id;
  std::string table;   // empty for ephemeral fields
  std::string column;  // empty for ephemeral fields
  std::string category;
  Protection protection = Protection::Plain;
  std::string mask;    // "", "phone", "name", "id_number"
  Retention retention;
  LocalText name;
  int line = 0;
};

struct OwnerPath {
  std::string column;         // column in this table
  std::string via_table;      // empty when `column` holds the subject id itself
  std::string via_column;
};

struct TableDecl {
  std::string name;
  std::optional<OwnerPath> owner;
  // The category a row as a whole is about: the person's own view of what is held (access,
  // copy, deletion by category) groups rows by it. Every owned table of the real map names one.
  std::string category;
  std::vector<std::string> nonpersonal;
  // The column recording when a row's personal data was collected: retention periods counted
  // from collection run from it (the sweeper's clock). Empty: the table names none.
  std::string collected_at;
  int line = 0;
};

struct Feature {
  std::string id;
  LocalText name;
  std::vector<std::string> required_fields;
  std::vector<std::string> optional_fields;
  std::vector<std::string> permissions;
  int line = 0;
};

struct Permission {
  std::string id;
  LocalText name;
  LocalText why;
  int line = 0;
};

struct Purpose {
  std::string id;
  std::string feature;
  Basis basis = Basis::Contract;
  std::vector<SeparateKind> separate;
  bool necessary = false;  // needed to use the feature at all (refusing means no feature)
  std::vector<std::string> fields;
  LocalText name;
  LocalText description;
  int line = 0;

  bool needs_consent() const { return basis == Basis::Consent || basis == Basis::SeparateConsent; }
  bool asks_separately_for(SeparateKind kind) const;
  // A child's separate consent is the guardian's to give or withdraw, never the child's.
  bool given_by_guardian() const { return asks_separately_for(SeparateKind::Minor); }
  bool uses(std::string_view field_id) const;
};

struct Recipient {
  std::string id;
  std::string kind;  // processor | sdk | third_party
  LocalText name;
  LocalText description;
  std::vector<std::string> fields;
  std::vector<std::string> purposes;
  Location location = Location::Mainland;
  int line = 0;
};

class DataMap {
 public:
  // Parses and validates; errors name the file, the line and the entry.
  static Result<DataMap> load_file(const std::string& path);
  static Result<DataMap> parse(std::string_view text, std::string_view source_name);

  const std::string& version() const { return version_; }
  const std::string& effective() const { return effective_; }
  const std::vector<Category>& categories() const { return categories_; }
  const std::vector<TableDecl>& tables() const { return tables_; }
  const std::vector<Field>& fields() const { return fields_; }
  const std::vector<Feature>& features() const { return features_; }
  const std::vector<Permission>& permissions() const { return permissions_; }
  const std::vector<Purpose>& purposes() const { return purposes_; }
  const std::vector<Recipient>& recipients() const { return recipients_; }

  const Category* category(std::string_view id) const;
  const Field* field(std::string_view id) const;
  const Feature* feature(std::string_view id) const;
  const Purpose* purpose(std::string_view id) const;
  const TableDecl* table(std::string_view name) const;
  // A table is personal when it has an owner or holds a declared field.
  bool is_personal_table(std::string_view name) const;
  std::vector<std::string> personal_tables() const;

 private:
  friend class DataMapParser;
  std::string version_;
  std::string effective_;
  std::vector<Category> categories_;
  std::vector<TableDecl> tables_;
  std::vector<Field> fields_;
  std::vector<Feature> features_;
  std::vector<Permission> permissions_;
  std::vector<Purpose> purposes_;
  std::vector<Recipient> recipients_;
};

}  // namespace veil::engine
