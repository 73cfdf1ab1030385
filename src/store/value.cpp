#include "store/value.hpp"

namespace veil::store {

std::int64_t Row::integer(std::size_t i) const {
  const auto& v = cells_.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto s = std::get_if<std::string>(&v)) return s->empty() ? 0 : std::stoll(*s);
  return 0;
}

std::string Row::text(std::size_t i) const {
  const auto& v = cells_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (auto b = std::get_if<Bytes>(&v)) return std::string(b->begin(), b->end());
  return {};
}

Bytes Row::blob(std::size_t i) const {
  const auto& v = cells_.at(i);
  if (auto p = std::get_if<Bytes>(&v)) return *p;
  if (auto s = std::get_if<std::string>(&v)) return Bytes(s->begin(), s->end());
  return {};
}

}  // namespace veil::store
