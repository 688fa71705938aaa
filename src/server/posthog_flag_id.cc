#include "server/posthog_flag_id.h"

namespace switchyard::server {

std::int64_t PostHogFlagId(std::string_view flag_key) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (unsigned char c : flag_key) {
    hash ^= c;
    hash *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  const std::uint64_t id = hash & ((std::uint64_t{1} << 53) - 1);
  return static_cast<std::int64_t>(id == 0 ? 1 : id);
}

}  // namespace switchyard::server
