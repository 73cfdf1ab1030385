#include "store/postgres/postgres_dialect.hpp"

#include <cctype>
#include <functional>

namespace veil::store {
namespace {

// Where the stretch of text starting at `at` ends if it is a literal, a quoted identifier or a
// comment; npos if `at` starts code. An unterminated one runs to the end, as the server reads it.
std::size_t end_of_quoted(std::string_view sql, std::size_t at) {
  auto until = [&](std::string_view close, std::size_t from) {
    std::size_t end = sql.find(close, from);
    return end == std::string_view::npos ? sql.size() : end + close.size();
  };
  // A doubled quote ('it''s') closes one literal and opens the next: the same text comes out.
  if (sql[at] == '\'') return until("'", at + 1);
  if (sql[at] == '"') return until("\"", at + 1);
  if (sql.substr(at, 2) == "--") return until("\n", at + 2);
  if (sql.substr(at, 2) == "/*") return until("*/", at + 2);
  return std::string_view::npos;
}

// Copies `sql`, passing each stretch of code through `rewrite_code` and everything else as is.
std::string rewrite_code(
    std::string_view sql,
    const std::function<void(std::string_view code, std::string& out)>& rewrite) {
  std::string out;
  out.reserve(sql.size() + 16);
  std::size_t code_start = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    std::size_t end = end_of_quoted(sql, i);
    if (end == std::string_view::npos) {
      ++i;
      continue;
    }
    rewrite(sql.substr(code_start, i - code_start), out);
    out.append(sql.substr(i, end - i));
    i = code_start = end;
  }
  rewrite(sql.substr(code_start), out);
  return out;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

}  // namespace

NumberedSql to_postgres_placeholders(std::string_view sql) {
  std::size_t count = 0;
  std::string out = rewrite_code(sql, [&](std::string_view code, std::string& into) {
    for (char c : code) {
      if (c == '?') {
        into += '$';
        into += std::to_string(++count);
      } else {
        into += c;
      }
    }
  });
  return {std::move(out), count};
}

std::string to_postgres_types(std::string_view sql) {
  return rewrite_code(sql, [](std::string_view code, std::string& into) {
    std::size_t i = 0;
    while (i < code.size()) {
      if (!is_word_char(code[i])) {
        into += code[i++];
        continue;
      }
      std::size_t end = i;
      while (end < code.size() && is_word_char(code[end])) ++end;
      std::string_view word = code.substr(i, end - i);
      bool is_blob = word.size() == 4;
      for (std::size_t k = 0; is_blob && k < 4; ++k)
        is_blob = std::toupper(static_cast<unsigned char>(word[k])) == "BLOB"[k];
      into.append(is_blob ? std::string_view("BYTEA") : word);
      i = end;
    }
  });
}

}  // namespace veil::store
