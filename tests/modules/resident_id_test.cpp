// GB 11643 resident ID numbers: what real-name verification accepts before asking a provider.
#include <gtest/gtest.h>

#include "modules/identity/resident_id.hpp"

namespace veil::identity {
namespace {

const accounts::CivilDate kToday{2026, 11, 24};

// Builds a number with a correct check character, so each test varies one part only.
std::string with_check(const std::string& first_17) { return first_17 + resident_id_check_character(first_17); }

TEST(ResidentId, TheStandardsExampleIsValid) {
  // The worked example of GB 11643-1999: 11010519491231002X.
  EXPECT_EQ(resident_id_check_character("11010519491231002"), 'X');
  auto id = parse_resident_id("11010519491231002X", kToday);
  ASSERT_TRUE(id.ok()) << id.error().reason;
  EXPECT_EQ(id->province_code, "11");
  EXPECT_EQ(id->birth.year, 1949);
  EXPECT_EQ(id->birth.month, 12);
  EXPECT_EQ(id->birth.day, 31);
}

TEST(ResidentId, ALowerCaseXIsNormalised) {
  auto id = parse_resident_id("11010519491231002x", kToday);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->number.reveal(), "11010519491231002X");
}

TEST(ResidentId, AWrongCheckDigitIsRefused) {
  EXPECT_EQ(parse_resident_id("110105194912310021", kToday).error().reason, "id_check_digit_wrong");
}

TEST(ResidentId, ASwappedPairOfDigitsIsCaught) {
  std::string good = with_check("44030619900307001");
  std::string swapped = good;
  std::swap(swapped[15], swapped[16]);  // "001" -> "010": ISO 7064 MOD 11-2 catches adjacent swaps
  ASSERT_NE(swapped, good);
  EXPECT_EQ(parse_resident_id(swapped, kToday).error().reason, "id_check_digit_wrong");
}

TEST(ResidentId, WrongLengthAndCharactersAreRefused) {
  EXPECT_EQ(parse_resident_id("11010519491231002", kToday).error().reason, "id_number_length");
  EXPECT_EQ(parse_resident_id("", kToday).error().reason, "id_number_length");
  EXPECT_EQ(parse_resident_id("1101051949123100XX", kToday).error().reason, "id_number_characters");
  EXPECT_EQ(parse_resident_id("11010519491231 02X", kToday).error().reason, "id_number_characters");
}

TEST(ResidentId, AnImpossibleOrFutureBirthDateIsRefused) {
  EXPECT_EQ(parse_resident_id(with_check("11010520230229001"), kToday).error().reason, "id_birth_date_invalid");
  EXPECT_EQ(parse_resident_id(with_check("11010519901301001"), kToday).error().reason, "id_birth_date_invalid");
  EXPECT_EQ(parse_resident_id(with_check("11010520261125001"), kToday).error().reason, "id_birth_date_invalid");
  EXPECT_TRUE(parse_resident_id(with_check("11010520240229001"), kToday).ok()) << "a leap day is a real date";
}

TEST(ResidentId, AnUnknownProvinceIsRefused) {
  EXPECT_EQ(parse_resident_id(with_check("99010519491231002"), kToday).error().reason, "id_region_unknown");
  EXPECT_EQ(parse_resident_id(with_check("00010519491231002"), kToday).error().reason, "id_region_unknown");
  EXPECT_TRUE(parse_resident_id(with_check("81000019800101001"), kToday).ok()) << "Hong Kong is 81";
}

TEST(ResidentId, AgeFollowsFromTheNumber) {
  auto child = parse_resident_id(with_check("31011520150601002"), kToday);
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(accounts::age_on(child->birth, kToday), 11);
}

}  // namespace
}  // namespace veil::identity
