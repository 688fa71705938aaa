// The wall clock as the server stamps events and checkpoints: milliseconds since the Unix epoch.
#pragma once

#include <chrono>
#include <cstdint>

namespace switchyard::server {

inline std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace switchyard::server
