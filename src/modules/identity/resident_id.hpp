#pragma once
// Resident identity card numbers (居民身份证号码, GB 11643-1999) for real-name verification
// ([000] 实名认证, [004] 一(三)4(4)): 18 characters, a six-digit region code (GB/T 2260), the
// birth date, a sequence number whose parity gives the sex, and an ISO 7064 MOD 11-2 check
// character. Checked here before anything is sent to a verification provider or stored.
#include <string>
#include <string_view>

#include "modules/accounts/birth_date.hpp"
#include "util/pi.hpp"
#include "util/result.hpp"

namespace veil::identity {

struct ResidentId {
  Pi<std::string> number;         // normalised: 18 characters, a final 'x' upper-cased
  accounts::CivilDate birth;
  std::string province_code;      // the first two digits, e.g. "11" for Beijing
};

// Errors (reason): id_number_length, id_number_characters, id_region_unknown,
// id_birth_date_invalid, id_check_digit_wrong.
Result<ResidentId> parse_resident_id(std::string_view input, const accounts::CivilDate& today);

// The check character for the first 17 digits (ISO 7064 MOD 11-2, as GB 11643 specifies).
char resident_id_check_character(std::string_view first_17_digits);

}  // namespace veil::identity
