// SteadyClock: where code measures elapsed time, it reads this instead of
// std::chrono::steady_clock directly, so that tests can supply a clock they advance by hand
// (no sleeping, no timing asserts).
#pragma once

#include <chrono>
#include <functional>

namespace switchyard {

using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

inline SteadyClock RealSteadyClock() {
  return [] { return std::chrono::steady_clock::now(); };
}

}  // namespace switchyard
