// Quoting client input in an error message without echoing all of it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard::core {

// `text` cut to at most `max_bytes` at a UTF-8 character boundary, "..." appended when cut.
inline std::string Abbreviate(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back off continuation bytes (10xxxxxx) so that a multi-byte character is not split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

}  // namespace switchyard::core
