// Timestamps for stored records: RFC 3339, UTC, millisecond precision ("2026-11-21T10:00:00.000Z").
// Fixed width, so they sort lexicographically in time order in both backends.
#pragma once

#include <chrono>
#include <string>

namespace switchyard::store {

// The current wall-clock time. Thread-safe.
std::string NowTimestamp();
// `time` in the same form (truncated to milliseconds).
std::string FormatTimestamp(std::chrono::system_clock::time_point time);

}  // namespace switchyard::store
