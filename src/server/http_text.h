// Small text helpers for HTTP fields: header names and tokens compare case-insensitively, and
// field values may carry optional whitespace (RFC 9110 "OWS") around them.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace switchyard::server {

inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace switchyard::server
