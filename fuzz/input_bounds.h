// Inputs the fuzz targets skip, each because of a known open bug owned elsewhere (issue 5). Every
// rule names its bug; delete the rule when the fix lands, so the fuzzers cover that input again.
#pragma once

#include <cstddef>
#include <string_view>

namespace switchyard::fuzz {

// Semver `part + 1` overflows at INT64_MAX (9223372036854775807, 19 digits): tilde, caret and
// wildcard ranges and version bumps are undefined behaviour there (issue 5, "Overflow", engine).
inline bool HasInt64SizedNumber(std::string_view input) {
  std::size_t run = 0;
  for (char c : input) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run >= 19) return true;
  }
  return false;
}

}  // namespace switchyard::fuzz
