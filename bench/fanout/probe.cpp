#include "fanout/probe.hpp"

#include <charconv>
#include <cstdio>

namespace veil::bench::fanout {

namespace {
constexpr std::string_view kMarker = "\"fb ";

// Parses an unsigned decimal at the start of `text`, then one space or the closing quote.
template <class T>
bool take_number(std::string_view& text, T& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return false;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  if (text.empty() || (text.front() != ' ' && text.front() != '"')) return false;
  text.remove_prefix(1);
  return true;
}
}  // namespace

std::string probe_message(const Probe& probe) {
  char text[128];
  int n = std::snprintf(text, sizeof text, R"({"type":"comment","text":"fb %lld %d %lld"})",
                        static_cast<long long>(probe.sent_ns), probe.sender,
                        static_cast<long long>(probe.number));
  return std::string(text, static_cast<std::size_t>(n));
}

std::optional<Probe> find_probe(std::string_view frame) {
  auto at = frame.find(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = frame.substr(at + kMarker.size());
  Probe p;
  if (!take_number(rest, p.sent_ns) || !take_number(rest, p.sender) || !take_number(rest, p.number))
    return std::nullopt;
  return p;
}

std::string error_code_of(std::string_view frame) {
  constexpr std::string_view kCode = "\"code\":\"";
  auto at = frame.find(kCode);
  if (at == std::string_view::npos) return "";
  auto start = at + kCode.size();
  auto end = frame.find('"', start);
  return end == std::string_view::npos ? "" : std::string(frame.substr(start, end - start));
}

}  // namespace veil::bench::fanout
