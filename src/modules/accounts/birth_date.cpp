#include "modules/accounts/birth_date.hpp"

#include <chrono>

namespace veil::accounts {

std::optional<CivilDate> parse_birth_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t len) {
    int n = 0;
    for (std::size_t i = from; i < from + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      n = n * 10 + (text[i] - '0');
    }
    return n;
  };
  int y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (y < 1900 || m < 1 || d < 1) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return CivilDate{y, m, d};
}

CivilDate civil_date_of(Millis at) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(sys_time<milliseconds>(milliseconds(at)))};
  return CivilDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int age_on(const CivilDate& birth, const CivilDate& today) {
  int age = today.year - birth.year;
  if (today.month < birth.month || (today.month == birth.month && today.day < birth.day)) --age;
  return age;
}

}  // namespace veil::accounts
