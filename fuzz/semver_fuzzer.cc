// Semantic versions: parsing, the three range forms, and comparing what parsed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/semver.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto version = switchyard::core::ParseSemver(text);
  for (auto range : {switchyard::core::TildeRange(text), switchyard::core::CaretRange(text),
                     switchyard::core::WildcardRange(text)}) {
    if (range && version) (void)range->Contains(*version);
  }
  return 0;
}
