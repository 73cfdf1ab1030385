#pragma once
// Serves the built web app (web/dist): "/" is index.html, hashed assets are cached for a year,
// nothing outside the root is reachable.
#include <filesystem>

#include "http/http_types.hpp"

namespace veil::http {

// A GET handler for files under `root`; `not_found` answers what is not there.
Handler static_files(std::filesystem::path root, Handler not_found);

}  // namespace veil::http
