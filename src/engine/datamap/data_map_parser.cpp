// Reads datamap.toml into a DataMap and checks it: every reference resolves, every enum value is
// known, nothing is declared twice. Errors read "file:line: entry: problem".
#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "engine/datamap/data_map.hpp"

namespace veil::engine {

namespace {

template <class T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}

std::optional<Millis> parse_duration(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  long long n = 0;
  std::from_chars(text.data(), text.data() + digits, n);
  std::string_view unit = text.substr(digits);
  if (unit == "m") return n * kMinute;
  if (unit == "h") return n * kHour;
  if (unit == "d") return n * kDay;
  if (unit == "mo") return n * 31 * kDay;  // a month counts as 31 days: never shorter than promised
  if (unit == "y") return n * 366 * kDay;
  return std::nullopt;
}

}  // namespace

class DataMapParser {
 public:
  DataMapParser(std::string_view source) : source_(source) {}

  Result<DataMap> parse(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, source_);
    } catch (const toml::parse_error& e) {
      return fail(static_cast<int>(e.source().begin.line), "", std::string(e.description()));
    }
    map_.version_ = root["version"].value_or(std::string{});
    map_.effective_ = root["effective"].value_or(std::string{});
    if (map_.version_.empty()) return fail(1, "version", "missing top-level `version`");

    VEIL_TRY(each(root, "category", [&](const toml::table& t, int line) { return category(t, line); }));
    VEIL_TRY(each(root, "table", [&](const toml::table& t, int line) { return table(t, line); }));
    VEIL_TRY(each(root, "field", [&](const toml::table& t, int line) { return field(t, line); }));
    VEIL_TRY(each(root, "permission", [&](const toml::table& t, int line) { return permission(t, line); }));
    VEIL_TRY(each(root, "feature", [&](const toml::table& t, int line) { return feature(t, line); }));
    VEIL_TRY(each(root, "purpose", [&](const toml::table& t, int line) { return purpose(t, line); }));
    VEIL_TRY(each(root, "recipient", [&](const toml::table& t, int line) { return recipient(t, line); }));
    VEIL_TRY(cross_checks());
    return std::move(map_);
  }

 private:
  Error fail(int line, std::string_view entry, std::string_view problem) const {
    std::ostringstream out;
    out << source_ << ":" << line << ": ";
    if (!entry.empty()) out << entry << ": ";
    out << problem;
    return Error{ErrorCode::InvalidArgument, "datamap_invalid", out.str()};
  }

  template <class F>
  Status each(const toml::table& root, std::string_view key, F&& visit) {
    const toml::node* node = root.get(key);
    if (!node) return {};
    const toml::array* items = node->as_array();
    if (!items) return fail(static_cast<int>(node->source().begin.line), key, "must be an array of tables [[...]]");
    for (const toml::node& item : *items) {
      const toml::table* t = item.as_table();
      int line = static_cast<int>(item.source().begin.line);
      if (!t) return fail(line, key, "must be a table");
      VEIL_TRY(visit(*t, line));
    }
    return {};
  }

  // Reads a required or optional string, refusing keys the format does not know (typos).
  Status known_keys(const toml::table& t, int line, std::string_view entry, std::initializer_list<std::string_view> keys) {
    for (const auto& [k, v] : t) {
      if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
        return fail(static_cast<int>(v.source().begin.line ? v.source().begin.line : static_cast<unsigned>(line)), entry,
                    "unknown key `" + std::string(k.str()) + "`");
    }
    return {};
  }

  Result<std::string> text(const toml::table& t, int line, std::string_view entry, std::string_view key, bool required = true) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) return fail(line, entry, "missing `" + std::string(key) + "`");
      return std::string{};
    }
    auto s = n->value<std::string>();
    if (!s) return fail(static_cast<int>(n->source().begin.line), entry, "`" + std::string(key) + "` must be a string");
    return *s;
  }

  Result<std::vector<std::string>> list(const toml::table& t, std::string_view entry, std::string_view key) {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    const toml::array* a = n->as_array();
    if (!a) return fail(static_cast<int>(n->source().begin.line), entry, "`" + std::string(key) + "` must be a list of strings");
    for (const toml::node& x : *a) {
      auto s = x.value<std::string>();
      if (!s) return fail(static_cast<int>(x.source().begin.line), entry, "`" + std::string(key) + "` must be a list of strings");
      out.push_back(*s);
    }
    return out;
  }

  Result<LocalText> local(const toml::table& t, int line, std::string_view entry, std::string_view key, bool required = true) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) return fail(line, entry, "missing `" + std::string(key) + "` (with zh-CN and en)");
      return LocalText{};
    }
    const toml::table* lt = n->as_table();
    if (!lt) return fail(static_cast<int>(n->source().begin.line), entry, "`" + std::string(key) + "` must be { zh-CN = \"…\", en = \"…\" }");
    auto zh = (*lt)["zh-CN"].value<std::string>();
    auto en = (*lt)["en"].value<std::string>();
    if (!zh || !en || zh->empty() || en->empty())
      return fail(static_cast<int>(n->source().begin.line), entry, "`" + std::string(key) + "` needs both zh-CN and en");
    return LocalText{*zh, *en};
  }

  Result<bool> flag(const toml::table& t, std::string_view entry, std::string_view key) {
    const toml::node* n = t.get(key);
    if (!n) return false;
    auto b = n->value<bool>();
    if (!b) return fail(static_cast<int>(n->source().begin.line), entry, "`" + std::string(key) + "` must be true or false");
    return *b;
  }

  // A name from a closed list (protection, basis, …), or an error naming what was written.
  template <class Lookup>
  auto known(Lookup lookup, const std::string& name, int line, std::string_view entry, std::string_view what)
      -> Result<typename decltype(lookup(name))::value_type> {
    auto value = lookup(name);
    if (!value) return fail(line, entry, "unknown " + std::string(what) + " \"" + name + "\"");
    return *value;
  }

  Status unique(std::string_view kind, const std::string& id, bool exists, int line) {
    if (id.empty()) return fail(line, kind, "missing `id`");
    if (exists) return fail(line, std::string(kind) + " \"" + id + "\"", "declared twice");
    return {};
  }

  Status category(const toml::table& t, int line) {
    VEIL_TRY(known_keys(t, line, "category", {"id", "name", "sensitive", "children"}));
    Category c;
    c.id = VEIL_TRY(text(t, line, "category", "id"));
    std::string entry = "category \"" + c.id + "\"";
    VEIL_TRY(unique("category", c.id, find_by_id(map_.categories_, c.id) != nullptr, line));
    c.name = VEIL_TRY(local(t, line, entry, "name"));
    c.sensitive = VEIL_TRY(flag(t, entry, "sensitive"));
    c.children = VEIL_TRY(flag(t, entry, "children"));
    c.line = line;
    map_.categories_.push_back(std::move(c));
    return {};
  }

  Status table(const toml::table& t, int line) {
    VEIL_TRY(known_keys(t, line, "table", {"name", "owner", "category", "nonpersonal", "collected_at"}));
    TableDecl d;
    d.name = VEIL_TRY(text(t, line, "table", "name"));
    std::string entry = "table \"" + d.name + "\"";
    if (map_.table(d.name)) return fail(line, entry, "declared twice");
    std::string owner = VEIL_TRY(text(t, line, entry, "owner", false));
    if (!owner.empty()) {
      OwnerPath path;
      auto arrow = owner.find("->");
      if (arrow == std::string::npos) {
        path.column = owner;
      } else {
        auto trim = [](std::string s) {
          s.erase(0, s.find_first_not_of(' '));
          s.erase(s.find_last_not_of(' ') + 1);
          return s;
        };
        path.column = trim(owner.substr(0, arrow));
        std::string target = trim(owner.substr(arrow + 2));
        auto dot = target.find('.');
        if (dot == std::string::npos) return fail(line, entry, "owner path must read \"column -> table.column\"");
        path.via_table = target.substr(0, dot);
        path.via_column = target.substr(dot + 1);
      }
      d.owner = path;
    }
    d.category = VEIL_TRY(text(t, line, entry, "category", false));
    if (!d.category.empty() && !map_.category(d.category)) return fail(line, entry, "unknown category \"" + d.category + "\"");
    d.nonpersonal = VEIL_TRY(list(t, entry, "nonpersonal"));
    d.collected_at = VEIL_TRY(text(t, line, entry, "collected_at", false));
    if (!d.collected_at.empty() && std::find(d.nonpersonal.begin(), d.nonpersonal.end(), d.collected_at) == d.nonpersonal.end())
      return fail(line, entry, "collected_at \"" + d.collected_at + "\" must be one of its nonpersonal columns");
    d.line = line;
    map_.tables_.push_back(std::move(d));
    return {};
  }

  Status field(const toml::table& t, int line) {
    VEIL_TRY(known_keys(t, line, "field", {"id", "column", "category", "protection", "mask", "retention", "retention_from", "name"}));
    Field f;
    f.id = VEIL_TRY(text(t, line, "field", "id"));
    std::string entry = "field \"" + f.id + "\"";
    VEIL_TRY(unique("field", f.id, find_by_id(map_.fields_, f.id) != nullptr, line));
    f.category = VEIL_TRY(text(t, line, entry, "category"));
    if (!map_.category(f.category)) return fail(line, entry, "unknown category \"" + f.category + "\"");
    f.protection = VEIL_TRY(known(parse_protection, VEIL_TRY(text(t, line, entry, "protection")), line, entry, "protection"));
    std::string column = VEIL_TRY(text(t, line, entry, "column", f.protection != Protection::Ephemeral));
    if (f.protection == Protection::Ephemeral && !column.empty())
      return fail(line, entry, "an ephemeral field is never stored, so it has no column");
    if (!column.empty()) {
      auto dot = column.find('.');
      if (dot == std::string::npos) return fail(line, entry, "column must read \"table.column\"");
      f.table = column.substr(0, dot);
      f.column = column.substr(dot + 1);
      if (!map_.table(f.table)) return fail(line, entry, "table \"" + f.table + "\" is not declared in [[table]]");
    }
    f.mask = VEIL_TRY(text(t, line, entry, "mask", false));
    if (!f.mask.empty() && f.mask != "phone" && f.mask != "name" && f.mask != "id_number")
      return fail(line, entry, "unknown mask \"" + f.mask + "\"");
    std::string retention = VEIL_TRY(text(t, line, entry, "retention", f.protection != Protection::Ephemeral));
    f.retention.text = retention;
    if (retention == "until_cancellation") {
      f.retention.until_cancellation = true;
    } else if (!retention.empty()) {
      auto d = parse_duration(retention);
      if (!d) return fail(line, entry, "retention \"" + retention + "\" is not \"until_cancellation\" or a duration like 30d, 6mo, 3y");
      f.retention.duration = *d;
    }
    std::string from = VEIL_TRY(text(t, line, entry, "retention_from", false));
    if (!from.empty()) f.retention.from = from;
    f.name = VEIL_TRY(local(t, line, entry, "name"));
    f.line = line;
    map_.fields_.push_back(std::move(f));
    return {};
  }

  Status field_refs(const std::vector<std::string>& ids, int line, std::string_view entry) {
    for (const auto& id : ids)
      if (!map_.field(id)) return fail(line, entry, "unknown field \"" + id + "\"");
    return {};
  }

  Status permission(const toml::table& t, int line) {
    VEIL_TRY(known_keys(t, line, "permission", {"id", "name", "why"}));
    Permission p;
    p.id = VEIL_TRY(text(t, line, "permission", "id"));
    std::string entry = "permission \"" + p.id + "\"";
    VEIL_TRY(unique("permission", p.id, find_by_id(map_.permissions_, p.id) != nullptr, line));
    p.name = VEIL_TRY(local(t, line, entry, "name"));
    p.why = VEIL_TRY(local(t, line, entry, "why"));
    p.line = line;
    map_.permissions_.push_back(std::move(p));
    return {};
  }

  Status feature(const toml::table& t, int line) {
    VEIL_TRY(known_keys(t, line, "feature", {"id", "name", "required_fields", "optional_fields", "permissions"}));
    Feature f;
    f.id = VEIL_TRY(text(t, line, "feature", "id"));
    std::string entry = "feature \"" + f.id + "\"";
    VEIL_TRY(unique("feature", f.id, find_by_id(map_.features_, f.id) != nullptr, line));
    f.name = VEIL_TRY(local(t, line, entry, "name"));
    f.required_fields = VEIL_TRY(list(t, entry, "required_fields"));
    f.optional_fields = VEIL_TRY(list(t, entry, "optional_fields"));
    f.permissions = VEIL_TRY(list(t, entry, "permissions"));
    VEIL_TRY(field_refs(f.required_fields, line, entry));
    VEIL_TRY(field_refs(f.optional_fields, line, entry));
    for (const auto& p : f.permissions)
      if (!find_by_id(map_.permissions_, p)) return fail(line, entry, "unknown permission \"" + p + "\"");
    f.line = line;
    map_.features_.push_back(std::move(f));
    return {};
  }

  Status purpose(const toml::table& t, int line) {
    VEIL_TRY(known_keys(t, line, "purpose", {"id", "feature", "basis", "separate", "necessary", "fields", "name", "description"}));
    Purpose p;
    p.id = VEIL_TRY(text(t, line, "purpose", "id"));
    std::string entry = "purpose \"" + p.id + "\"";
    VEIL_TRY(unique("purpose", p.id, find_by_id(map_.purposes_, p.id) != nullptr, line));
    p.feature = VEIL_TRY(text(t, line, entry, "feature"));
    if (!map_.feature(p.feature)) return fail(line, entry, "unknown feature \"" + p.feature + "\"");
    p.basis = VEIL_TRY(known(parse_basis, VEIL_TRY(text(t, line, entry, "basis")), line, entry, "basis"));
    for (const auto& k : VEIL_TRY(list(t, entry, "separate")))
      p.separate.push_back(VEIL_TRY(known(parse_separate_kind, k, line, entry, "separate consent")));
    if (!p.separate.empty() && p.basis != Basis::SeparateConsent)
      return fail(line, entry, "`separate` is only meaningful with basis = \"separate_consent\"");
    if (p.basis == Basis::SeparateConsent && p.separate.empty())
      return fail(line, entry, "basis \"separate_consent\" must name what it is separate for in `separate`");
    p.necessary = VEIL_TRY(flag(t, entry, "necessary"));
    p.fields = VEIL_TRY(list(t, entry, "fields"));
    VEIL_TRY(field_refs(p.fields, line, entry));
    p.name = VEIL_TRY(local(t, line, entry, "name"));
    p.description = VEIL_TRY(local(t, line, entry, "description"));
    p.line = line;
    map_.purposes_.push_back(std::move(p));
    return {};
  }

  Status recipient(const toml::table& t, int line) {
    VEIL_TRY(known_keys(t, line, "recipient", {"id", "kind", "name", "description", "fields", "purposes", "location"}));
    Recipient r;
    r.id = VEIL_TRY(text(t, line, "recipient", "id"));
    std::string entry = "recipient \"" + r.id + "\"";
    VEIL_TRY(unique("recipient", r.id, find_by_id(map_.recipients_, r.id) != nullptr, line));
    r.kind = VEIL_TRY(text(t, line, entry, "kind"));
    if (r.kind != "processor" && r.kind != "sdk" && r.kind != "third_party")
      return fail(line, entry, "kind must be processor, sdk or third_party");
    r.name = VEIL_TRY(local(t, line, entry, "name"));
    r.description = VEIL_TRY(local(t, line, entry, "description"));
    r.fields = VEIL_TRY(list(t, entry, "fields"));
    VEIL_TRY(field_refs(r.fields, line, entry));
    r.purposes = VEIL_TRY(list(t, entry, "purposes"));
    for (const auto& p : r.purposes)
      if (!map_.purpose(p)) return fail(line, entry, "unknown purpose \"" + p + "\"");
    r.location = VEIL_TRY(known(parse_location, VEIL_TRY(text(t, line, entry, "location")), line, entry, "location"));
    r.line = line;
    map_.recipients_.push_back(std::move(r));
    return {};
  }

  Status cross_checks() {
    for (const auto& t : map_.tables_) {
      if (t.owner && !t.owner->via_table.empty() && !map_.table(t.owner->via_table))
        return fail(t.line, "table \"" + t.name + "\"", "owner path names undeclared table \"" + t.owner->via_table + "\"");
    }
    std::set<std::pair<std::string, std::string>> columns;
    for (const auto& f : map_.fields_) {
      if (f.column.empty()) continue;
      if (!columns.insert({f.table, f.column}).second)
        return fail(f.line, "field \"" + f.id + "\"", "column " + f.table + "." + f.column + " is declared by two fields");
      const TableDecl* t = map_.table(f.table);
      if (std::find(t->nonpersonal.begin(), t->nonpersonal.end(), f.column) != t->nonpersonal.end())
        return fail(f.line, "field \"" + f.id + "\"", "column is also listed as non-personal in table \"" + f.table + "\"");
    }
    // Every stored field serves at least one purpose: nothing is kept "just in case".
    for (const auto& f : map_.fields_) {
      bool used = std::any_of(map_.purposes_.begin(), map_.purposes_.end(), [&](const Purpose& p) { return p.uses(f.id); });
      if (!used) return fail(f.line, "field \"" + f.id + "\"", "no [[purpose]] lists this field");
    }
    // A recipient outside mainland China is a cross-border transfer (PIPL art. 38–39): each purpose
    // it serves must ask for that separate consent.
    for (const auto& r : map_.recipients_) {
      if (r.location != Location::Outside) continue;
      for (const auto& pid : r.purposes) {
        if (!map_.purpose(pid)->asks_separately_for(SeparateKind::CrossBorder))
          return fail(r.line, "recipient \"" + r.id + "\"",
                      "is outside mainland China, so purpose \"" + pid + "\" needs separate = [\"cross_border\", …]");
      }
    }
    // A recipient may only receive fields of the purposes it serves.
    for (const auto& r : map_.recipients_) {
      for (const auto& fid : r.fields) {
        bool covered = std::any_of(r.purposes.begin(), r.purposes.end(), [&](const std::string& pid) { return map_.purpose(pid)->uses(fid); });
        if (!covered) return fail(r.line, "recipient \"" + r.id + "\"", "field \"" + fid + "\" is not used by any of its purposes");
      }
    }
    return {};
  }

  std::string source_;
  DataMap map_;
};

Result<DataMap> DataMap::parse(std::string_view text, std::string_view source_name) {
  return DataMapParser(source_name).parse(text);
}

Result<DataMap> DataMap::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::InvalidArgument, "datamap_invalid", path + ": cannot be read"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), path);
}

}  // namespace veil::engine
