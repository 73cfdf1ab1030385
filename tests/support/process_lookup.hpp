#pragma once
// Finds a process by its command line, for tests that kill what the server under test spawned
// (Janus, nginx) to prove the rest survives. The server's own data directory in the command line
// tells its children from any other test's.
#include <sys/types.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace veil::test {

// The first process whose command line (arguments joined by spaces) contains every fragment.
inline std::optional<pid_t> process_mentioning(const std::string& a, const std::string& b) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (char& c : line)
      if (c == '\0') c = ' ';
    if (line.find(a) != std::string::npos && line.find(b) != std::string::npos) return static_cast<pid_t>(std::stol(name));
  }
  return std::nullopt;
}

}  // namespace veil::test
