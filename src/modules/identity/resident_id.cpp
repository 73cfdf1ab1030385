#include "modules/identity/resident_id.hpp"

#include <algorithm>
#include <array>

namespace veil::identity {

namespace {

// Province-level codes of GB/T 2260 (the first two digits of every region code), with Taiwan,
// Hong Kong and Macao as the standard assigns them. County-level codes change yearly and are not
// shipped in any Debian package, so only the province part is checked here; the verification
// provider checks the rest.
constexpr std::array<std::string_view, 34> kProvinces = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42",
    "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"};

constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckCharacters = "10X98765432";

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool after(const accounts::CivilDate& a, const accounts::CivilDate& b) {
  if (a.year != b.year) return a.year > b.year;
  if (a.month != b.month) return a.month > b.month;
  return a.day > b.day;
}

}  // namespace

char resident_id_check_character(std::string_view first_17_digits) {
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (first_17_digits[i] - '0') * kWeights[i];
  return kCheckCharacters[static_cast<std::size_t>(sum % 11)];
}

Result<ResidentId> parse_resident_id(std::string_view input, const accounts::CivilDate& today) {
  std::string number(input);
  if (number.size() != 18) return Error::invalid("id_number_length");
  if (number[17] == 'x') number[17] = 'X';
  if (!all_digits(std::string_view(number).substr(0, 17)) ||
      !(all_digits(std::string_view(number).substr(17)) || number[17] == 'X'))
    return Error::invalid("id_number_characters");
  std::string province = number.substr(0, 2);
  if (std::find(kProvinces.begin(), kProvinces.end(), province) == kProvinces.end())
    return Error::invalid("id_region_unknown");
  std::string date = number.substr(6, 4) + "-" + number.substr(10, 2) + "-" + number.substr(12, 2);
  auto birth = accounts::parse_birth_date(date);
  if (!birth || after(*birth, today)) return Error::invalid("id_birth_date_invalid");
  if (resident_id_check_character(number) != number[17]) return Error::invalid("id_check_digit_wrong");
  return ResidentId{Pi<std::string>(std::move(number)), *birth, province};
}

}  // namespace veil::identity
