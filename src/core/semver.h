// Lenient semantic versions for the semver_* operators.
//
// PostHog compares only (major, minor, patch): a leading 'v' is stripped, "-prerelease" and
// "+build" are dropped and missing parts count as 0, so "v1.2" == "1.2.0-beta+7". Anything else
// (letters in a part, an empty part, more than three parts) is unparseable and never matches.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

namespace switchyard::core {

struct Semver {
  std::int64_t major = 0;
  std::int64_t minor = 0;
  std::int64_t patch = 0;

  auto operator<=>(const Semver&) const = default;
};

// A half-open range [lower, upper); no upper bound when `upper` is empty.
struct SemverRange {
  Semver lower;
  std::optional<Semver> upper;

  bool Contains(const Semver& v) const { return v >= lower && (!upper || v < *upper); }
};

std::optional<Semver> ParseSemver(std::string_view text);

// ~1.2.3 -> [1.2.3, 1.3.0)
std::optional<SemverRange> TildeRange(std::string_view text);
// ^1.2.3 -> [1.2.3, 2.0.0); ^0.2.3 -> [0.2.3, 0.3.0); ^0.0.3 -> [0.0.3, 0.0.4)
std::optional<SemverRange> CaretRange(std::string_view text);
// "1.2.*" -> [1.2.0, 1.3.0); "1.*" -> [1.0.0, 2.0.0); "*" -> everything. Without a '*' the
// given parts are the prefix ("1.2" behaves as "1.2.*").
std::optional<SemverRange> WildcardRange(std::string_view text);

}  // namespace switchyard::core
