#pragma once
// What veil serve needs to set up a supervised child (Janus, nginx-rtmp): a free port on loopback
// for it to bind, and a configuration file only we may read (it carries the child's secrets).
#include <filesystem>
#include <string_view>

#include "util/result.hpp"

namespace veil::media {

// A port free on 127.0.0.1 now (SOCK_STREAM or SOCK_DGRAM); the child binds it right after.
Result<int> free_loopback_port(int type);

// Writes `text` to `path` with mode 0600, whatever mode an older file had.
Status write_private_file(const std::filesystem::path& path, std::string_view text);

}  // namespace veil::media
