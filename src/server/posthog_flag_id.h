// The numeric id PostHog's wire formats give each flag (/flags v2 `metadata.id`; local-evaluation
// definitions). Switchyard names flags by key only, so the id is derived from the key: stable
// across restarts, servers and environments, with no stored column to migrate. 53 bits (FNV-1a
// of the key, masked) keep it an exact JavaScript number; a collision among a project's flags
// is ~n²/2^54, negligible for any real project.
#pragma once

#include <cstdint>
#include <string_view>

namespace switchyard::server {

// In [1, 2^53 - 1].
std::int64_t PostHogFlagId(std::string_view flag_key);

}  // namespace switchyard::server
