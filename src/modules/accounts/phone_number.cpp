#include "modules/accounts/phone_number.hpp"

namespace veil::accounts {

std::optional<Pi<std::string>> normalize_phone(std::string_view input) {
  std::string digits;
  for (char c : input) {
    if (c >= '0' && c <= '9') digits.push_back(c);
    else if (c != ' ' && c != '-' && c != '+') return std::nullopt;
  }
  if (digits.size() == 13 && digits.starts_with("86")) digits.erase(0, 2);
  else if (digits.size() == 15 && digits.starts_with("0086")) digits.erase(0, 4);
  if (digits.size() != 11 || digits[0] != '1' || digits[1] < '3') return std::nullopt;
  return Pi<std::string>(std::move(digits));
}

std::string mask_phone(const Pi<std::string>& phone) {
  const std::string& p = phone.reveal();
  if (p.size() != 11) return "****";
  return p.substr(0, 3) + "****" + p.substr(7);
}

}  // namespace veil::accounts
