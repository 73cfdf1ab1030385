#include "modules/identity/person_name.hpp"

#include <optional>
#include <vector>

namespace veil::identity {

namespace {
// Splits UTF-8 into code points; nullopt for malformed input.
std::optional<std::vector<char32_t>> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || (extra > 0 && i + extra >= s.size())) return std::nullopt;
    char32_t cp = extra == 0 ? c : (c & (0x3F >> extra));
    for (int k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

bool allowed(char32_t c) {
  return (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z') || c == U' ' || c == U'·' || c == U'•' ||
         (c >= 0x3400 && c <= 0x9FFF) ||    // CJK unified ideographs and extension A
         (c >= 0x20000 && c <= 0x3134F);    // extensions B–G (rare characters in names)
}
}  // namespace

Result<Pi<std::string>> parse_person_name(std::string_view input) {
  while (!input.empty() && input.front() == ' ') input.remove_prefix(1);
  while (!input.empty() && input.back() == ' ') input.remove_suffix(1);
  auto cps = code_points(input);
  if (!cps || cps->size() < 2 || cps->size() > 40) return Error::invalid("real_name_invalid", "length or encoding");
  for (std::size_t i = 0; i < cps->size(); ++i) {
    if (!allowed((*cps)[i])) return Error::invalid("real_name_invalid", "character not allowed in a name");
    if ((*cps)[i] == U' ' && i > 0 && (*cps)[i - 1] == U' ') return Error::invalid("real_name_invalid", "double space");
  }
  return Pi<std::string>(std::string(input));
}

std::string mask_person_name(const Pi<std::string>& name) {
  const std::string& s = name.reveal();
  auto cps = code_points(s);
  if (!cps || cps->empty()) return "*";
  std::size_t first = 1;
  auto lead = static_cast<unsigned char>(s[0]);
  if (lead >= 0xF0) first = 4; else if (lead >= 0xE0) first = 3; else if (lead >= 0xC0) first = 2;
  return s.substr(0, first) + std::string(cps->size() - 1, '*');
}

std::string mask_resident_id(const Pi<std::string>& number) {
  const std::string& s = number.reveal();
  if (s.size() != 18) return "******************";
  return s.substr(0, 6) + std::string(11, '*') + s.substr(17);
}

}  // namespace veil::identity
