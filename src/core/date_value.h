// Dates for is_date_before / is_date_after.
//
// GCC 12's libstdc++ has the C++20 calendar types but not std::chrono::parse, and strptime is
// locale-dependent and ignores offsets, so the small ISO-8601 subset PostHog sends is parsed by
// hand here: YYYY-MM-DD, optionally followed by (T| )HH:MM[:SS[.fraction]] and Z, +HH:MM or
// +HHMM. A time without an offset is UTC. Relative values ("-7d", "12h", "-1m", "2y") always
// mean "that long before now" (PostHog ignores the sign too); months and years are calendar
// months and years, with the day clamped to the end of a shorter month.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace switchyard::core {

using Micros = std::chrono::sys_time<std::chrono::microseconds>;

std::optional<Micros> ParseIsoDateTime(std::string_view text);

// A filter's date: absolute, or relative to the evaluation's `now`.
class DateTarget {
 public:
  enum class Unit { kHour, kDay, kWeek, kMonth, kYear };

  static std::optional<DateTarget> Parse(std::string_view text);
  Micros Resolve(std::chrono::system_clock::time_point now) const;

 private:
  bool relative_ = false;
  Micros absolute_{};
  int count_ = 0;
  Unit unit_ = Unit::kDay;
};

// A property value as a date: an ISO-8601 string, or a number of unix seconds (milliseconds
// when above 1e11, which as seconds would be past the year 5000).
std::optional<Micros> PropertyDate(const nlohmann::json& value);

}  // namespace switchyard::core
