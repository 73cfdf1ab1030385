#pragma once
// Birth dates as "YYYY-MM-DD" and the age they give on a day. Under 14 an account waits for a
// guardian ([002][003][004] 儿童); under 18 marks a minor.
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace veil::accounts {

struct CivilDate {
  int year = 0, month = 0, day = 0;
};

std::optional<CivilDate> parse_birth_date(std::string_view text);
CivilDate civil_date_of(Millis at);  // the UTC calendar day of a moment
int age_on(const CivilDate& birth, const CivilDate& today);

constexpr int kGuardianAge = 14;
constexpr int kAdultAge = 18;

}  // namespace veil::accounts
