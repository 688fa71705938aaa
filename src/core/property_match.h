// Matching one person property against one compiled filter: the operator semantics.
//
//  * Missing (absent or null) property: is_set -> no match, is_not_set -> match, every other
//    operator -> kMissing (the filter fails, and the flag can say why).
//  * exact / is_not: a list value means membership; numeric equality when both sides are
//    numbers (10 == "10.0"), otherwise ASCII case-insensitive equality of the printed values.
//  * icontains / starts_with / ends_with and negations: printed values, ASCII lower-cased.
//  * regex / not_regex: RE2 partial match on the printed value, case-sensitive; an invalid
//    pattern makes both false.
//  * gt / gte / lt / lte: numeric when BOTH sides are numbers or fully numeric strings (trimmed:
//    " 7" is 7); otherwise a byte-wise comparison of the printed values. posthog-python compares
//    numerically only when the filter value is a number, posthog-node coerces both; we take the
//    symmetric rule so that "10" > "9" for users whatever the JSON type of either side.
//  * dates and versions that do not parse on the property side are a plain no match.
#pragma once

#include <chrono>

#include <nlohmann/json.hpp>

#include "core/compiled_flag.h"

namespace switchyard::core {

enum class Match { kMatch, kNoMatch, kMissing, kError };

// `property` is null when the property is absent or null.
Match MatchPersonFilter(const CompiledFilter& filter, const nlohmann::json* property,
                        std::chrono::system_clock::time_point now);

}  // namespace switchyard::core
