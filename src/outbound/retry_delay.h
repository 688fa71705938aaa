// How long to wait before the next attempt: the upstream's own hint (retry-after-ms, then
// Retry-After) when it gave one, otherwise exponential backoff with full jitter (a uniformly random
// wait up to the exponential ceiling, so many clients retrying together spread out).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace switchyard::outbound {

// The wait an upstream asked for: `retry-after-ms` (milliseconds, as OpenAI sends it) wins over
// `Retry-After` (delay-seconds, fractions accepted). Dates and malformed values are no hint.
std::optional<std::chrono::milliseconds> RetryAfterHint(
    const std::vector<std::pair<std::string, std::string>>& headers);

// The wait before retry number `retry` (1 = the second attempt). `unit_random` is uniform in
// [0, 1). A hint is honoured up to 4 × max_backoff, so an upstream cannot park a caller for long.
std::chrono::milliseconds RetryDelay(std::chrono::milliseconds base_backoff,
                                     std::chrono::milliseconds max_backoff, int retry,
                                     std::optional<std::chrono::milliseconds> hint, double unit_random);

}  // namespace switchyard::outbound
