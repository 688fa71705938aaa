// Event uuids: the server's (version 7: time-ordered, so a log indexed by uuid appends near the
// end of its index rather than at random) and a client's (any version, normalised).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::events {

// A random version-7 uuid for `unix_ms` (RFC 9562): 48 bits of milliseconds, then 74 random
// bits (OpenSSL's RAND_bytes, thread-safe). Lower-case 8-4-4-4-12.
std::string NewUuidV7(std::int64_t unix_ms);

// `text` as a canonical uuid (lower-case 8-4-4-4-12 hex); nullopt when it is not one.
std::optional<std::string> CanonicalUuid(std::string_view text);

}  // namespace switchyard::events
