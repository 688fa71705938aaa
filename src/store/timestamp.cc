#include "store/timestamp.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace switchyard::store {

std::string NowTimestamp() {
  return FormatTimestamp(std::chrono::system_clock::now());
}

std::string FormatTimestamp(std::chrono::system_clock::time_point now) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);  // gmtime() shares a static buffer between threads
  char buffer[40];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + length, sizeof buffer - length, ".%03dZ", static_cast<int>(ms));
  return buffer;
}

}  // namespace switchyard::store
