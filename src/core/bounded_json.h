// A JSON parser for text nobody vouches for (request bodies, payload strings inside them).
//
// nlohmann's own parse takes any nesting depth and lets a later duplicate key win. Copying,
// comparing or dumping a DOM recurses once per level, so a deep document is a stack overflow
// waiting for its first copy; and last-wins duplicates let one body say two things. This parser
// builds the DOM from nlohmann's SAX events and stops at the first event past a limit, so the
// DOM never gets deeper than the limit.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::core {

// Deep enough for any flag definition or property map; far below what the stack can take.
inline constexpr std::size_t kMaxJsonDepth = 64;

// Parses `text` as exactly one JSON value. InvalidArgument (no field) when it is malformed, nests
// more than `max_depth` arrays/objects, repeats a key within one object, or holds a number that
// does not fit a double (1e309); the message says which.
Result<nlohmann::json> ParseBoundedJson(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

}  // namespace switchyard::core
