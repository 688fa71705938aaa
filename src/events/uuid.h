// Event uuids: the server's (version 7: time-ordered, so a log indexed by uuid appends near the
// end of its index rather than at random) and a client's (any version, normalised).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::events {

// A random version-7 uuid for `unix_ms` (RFC 9562): 48 bits of milliseconds, then 74 random
// bits (OpenSSL's RAND_bytes, thread-safe). Lower-case 8-4-4-4-12.
std::string NewUuidV7(std::int64_t unix_ms);

// Version-7 uuids for many events (one request's batch). Why not NewUuidV7 for each: at 10 bytes
// a call, RAND_bytes's fixed cost (its fork check's getpid and the DRBG lock) was a fifth of the
// server's CPU at 150,000 events/s; this draws the random bytes of many uuids in one call, the
// draw doubling from one uuid up to 512 so a single event costs no more than before.
// Thread: one at a time (make one per request).
class UuidV7Generator {
 public:
  std::string Next(std::int64_t unix_ms);

 private:
  std::vector<unsigned char> random_;  // 10 bytes per uuid
  std::size_t used_ = 0;
  std::size_t next_draw_ = 1;  // uuids
};

// `text` as a canonical uuid (lower-case 8-4-4-4-12 hex); nullopt when it is not one.
std::optional<std::string> CanonicalUuid(std::string_view text);

}  // namespace switchyard::events
