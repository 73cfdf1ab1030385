#pragma once
// Mainland China mobile numbers: 11 digits starting 13–19, optionally written with +86 / 0086
// and spaces or dashes. Normalised to the bare 11 digits before indexing or encrypting.
#include <optional>
#include <string>
#include <string_view>

#include "util/pi.hpp"

namespace veil::accounts {

std::optional<Pi<std::string>> normalize_phone(std::string_view input);
// 138****8000: what other people (and logs of the person's own screens) may see.
std::string mask_phone(const Pi<std::string>& phone);

}  // namespace veil::accounts
