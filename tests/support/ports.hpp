#pragma once
// A free TCP port on 127.0.0.1 for a server a test starts. The kernel picks it for a socket bound
// to port 0; the server binds it right after (another process could take it in between, so
// callers that can retry do).
#include "util/result.hpp"

namespace veil::test {

Result<int> free_loopback_port();

}  // namespace veil::test
