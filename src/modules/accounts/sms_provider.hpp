#pragma once
// Sending a text message. Implementations: DevSmsProvider (an honest outbox, readable with --dev)
// and HttpSmsProvider (a generic gateway configured by URL and secret).
#include <string>
#include <string_view>

#include "util/pi.hpp"
#include "util/result.hpp"

namespace veil::accounts {

class SmsProvider {
 public:
  virtual ~SmsProvider() = default;
  virtual Status send(const Pi<std::string>& phone, std::string_view text) = 0;
};

}  // namespace veil::accounts
