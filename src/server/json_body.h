// Request bodies as JSON, within limits every route shares (see core/bounded_json.h for why the
// DOM must never be built past the depth limit).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/bounded_json.h"
#include "switchyard/status.h"

namespace switchyard::server {

// The deepest nesting of arrays/objects a request body may have (docs/API.md, "Limits").
inline constexpr std::size_t kMaxBodyDepth = core::kMaxJsonDepth;

// The body as one JSON value. InvalidArgument on field "body" (a 400 invalid_json) when it is
// empty, malformed, nests deeper than kMaxBodyDepth, repeats a key in an object, or holds a
// number that does not fit a double.
Result<nlohmann::json> ParseJsonBody(std::string_view body);

}  // namespace switchyard::server
