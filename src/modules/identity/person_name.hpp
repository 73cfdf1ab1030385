#pragma once
// Legal names as written on a resident identity card: Chinese characters or letters, with the
// middle dot (·) of transliterated names and single spaces; 2–40 characters. And the masks shown
// back to their owner (the whole value is never sent to a client after verification).
#include <string>
#include <string_view>

#include "util/pi.hpp"
#include "util/result.hpp"

namespace veil::identity {

// Trimmed; error real_name_invalid.
Result<Pi<std::string>> parse_person_name(std::string_view input);

// "张*" / "欧阳**" / "A***": the first character, then one star per remaining character.
std::string mask_person_name(const Pi<std::string>& name);
// "110105**********1X": region code and the check character only.
std::string mask_resident_id(const Pi<std::string>& number);

}  // namespace veil::identity
