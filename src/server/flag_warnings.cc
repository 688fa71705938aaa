#include "server/flag_warnings.h"

#include <algorithm>
#include <string>

namespace switchyard::server {

nlohmann::json FlagWarnings(const Flag& flag) {
  nlohmann::json warnings = nlohmann::json::array();
  for (std::size_t i = 0; i < flag.groups.size() && warnings.size() < kMaxFlagWarnings; ++i) {
    const auto& variant = flag.groups[i].variant;
    if (!variant) continue;
    const bool known = std::any_of(flag.variants.begin(), flag.variants.end(),
                                   [&](const Variant& v) { return v.key == *variant; });
    if (known) continue;
    // The evaluator ignores such an override and serves the hashed variant (PostHog does the same).
    warnings.push_back({{"field", "filters.groups[" + std::to_string(i) + "].variant"},
                        {"message", "names no variant of this flag, so it is ignored"}});
  }
  return warnings;
}

}  // namespace switchyard::server
