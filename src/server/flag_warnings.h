// Things a flag definition may say that are valid but almost certainly not what its writer meant.
// They ride along in a write's answer instead of failing it, because PostHog accepts them too and
// definitions must move between the two unchanged.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "switchyard/flag.h"

namespace switchyard::server {

// A flag with thousands of groups must not turn its answer into thousands of warnings.
inline constexpr std::size_t kMaxFlagWarnings = 10;

// [{"field": "filters.groups[0].variant", "message": "..."}], at most kMaxFlagWarnings; empty
// when there is nothing to say.
nlohmann::json FlagWarnings(const Flag& flag);

}  // namespace switchyard::server
