// Event uuids: the server's (version 7: time-ordered, so a log indexed by uuid appends near the
// end of its index rather than at random) and a client's (any version, normalised).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::events {

// A random version-7 uuid for `unix_ms` (RFC 9562): 48 bits of milliseconds, then 74 random
// bits (OpenSSL's RAND_bytes, thread-safe). Lower-case 8-4-4-4-12.
std::string NewUuidV7(std::int64_t unix_ms);

// Version-7 uuids for many events (one request's batch), ascending (RFC 9562 §6.2, method 2):
// the first of a millisecond has 74 random bits, and each next one of the same millisecond is the
// previous plus one. Why: a batch's uuids then arrive at the (project, uuid) index in order, where
// SQLite's insert finds its place from the last one instead of descending from the root
// (sqlite3BtreeIndexMoveto; measured in docs/PERFORMANCE.md). Guessing the next uuid takes
// knowing one of the same millisecond: ids a caller sees come from NextRandom.
//
// Random bits come from a pool filled by RAND_bytes in draws that double from one uuid's worth
// up to 512: RAND_bytes's fixed cost (a fork check's getpid, the DRBG lock, ~7 k instructions)
// was a fifth of the server's CPU at 150,000 events/s when paid per uuid.
// Thread: one at a time (make one per request, or guard it).
class UuidV7Generator {
 public:
  std::string Next(std::int64_t unix_ms);
  // A uuid of its own 74 random bits, unrelated to any other.
  std::string NextRandom(std::int64_t unix_ms);

 private:
  const unsigned char* Draw();  // 10 random bytes from the pool

  std::vector<unsigned char> random_;
  std::size_t used_ = 0;
  std::size_t next_draw_ = 1;  // uuids
  std::array<unsigned char, 16> last_{};
  std::int64_t last_ms_ = -1;
};

// `text` as a canonical uuid (lower-case 8-4-4-4-12 hex); nullopt when it is not one.
std::optional<std::string> CanonicalUuid(std::string_view text);

}  // namespace switchyard::events
