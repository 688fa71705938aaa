// Parsing of lenient versions and the ranges behind tilde, caret and wildcard.
#include "core/semver.h"

#include <array>
#include <charconv>
#include <limits>

#include "core/text.h"

namespace switchyard::core {
namespace {

constexpr std::size_t kMaxParts = 3;

// Strips whitespace, a leading v/V, and anything from the first '-' or '+'.
std::string_view CoreOf(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);
  const std::size_t cut = text.find_first_of("-+");
  return cut == std::string_view::npos ? text : text.substr(0, cut);
}

std::optional<std::int64_t> ParsePart(std::string_view part) {
  std::int64_t value = 0;
  if (part.empty()) return std::nullopt;
  const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
  if (ec != std::errc() || end != part.data() + part.size() || value < 0) return std::nullopt;
  return value;
}

// Fixed capacity: versions are parsed on the evaluation path, which must not allocate.
struct Parts {
  std::array<std::string_view, kMaxParts> items;
  std::size_t size = 0;
  bool overflow = false;
};

Parts SplitDots(std::string_view text) {
  Parts parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    if (parts.size == kMaxParts) {
      parts.overflow = true;
      return parts;
    }
    parts.items[parts.size++] = text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

// Numeric parts into `out`; returns how many were given, or nullopt when one is malformed.
std::optional<std::size_t> ParseParts(const Parts& parts, Semver* out) {
  if (parts.size == 0 || parts.overflow) return std::nullopt;
  std::int64_t* fields[kMaxParts] = {&out->major, &out->minor, &out->patch};
  for (std::size_t i = 0; i < parts.size; ++i) {
    const auto value = ParsePart(parts.items[i]);
    if (!value) return std::nullopt;
    *fields[i] = *value;
  }
  return parts.size;
}

constexpr std::int64_t kMaxPart = std::numeric_limits<std::int64_t>::max();

// The smallest version above every version that shares `v`'s first `given` parts, carrying into
// the part before when a part is already the largest a version can have (a larger one never
// parses), and nullopt (no upper bound) when every part carries: `part + 1` must never overflow.
std::optional<Semver> BumpPrefix(const Semver& v, std::size_t given) {
  if (given >= 3 && v.patch < kMaxPart) return Semver{v.major, v.minor, v.patch + 1};
  if (given >= 2 && v.minor < kMaxPart) return Semver{v.major, v.minor + 1, 0};
  if (v.major < kMaxPart) return Semver{v.major + 1, 0, 0};
  return std::nullopt;
}

}  // namespace

std::optional<Semver> ParseSemver(std::string_view text) {
  Semver version;
  if (!ParseParts(SplitDots(CoreOf(text)), &version)) return std::nullopt;
  return version;
}

std::optional<SemverRange> TildeRange(std::string_view text) {
  const auto v = ParseSemver(text);
  if (!v) return std::nullopt;
  return SemverRange{*v, BumpPrefix(*v, 2)};
}

std::optional<SemverRange> CaretRange(std::string_view text) {
  const auto v = ParseSemver(text);
  if (!v) return std::nullopt;
  if (v->major > 0) return SemverRange{*v, BumpPrefix(*v, 1)};
  if (v->minor > 0) return SemverRange{*v, BumpPrefix(*v, 2)};
  return SemverRange{*v, BumpPrefix(*v, 3)};
}

std::optional<SemverRange> WildcardRange(std::string_view text) {
  Parts parts = SplitDots(CoreOf(text));
  if (!parts.overflow && parts.size > 0 && parts.items[parts.size - 1] == "*") --parts.size;
  if (parts.size == 0 && !parts.overflow) return SemverRange{};  // "*": every parseable version
  Semver lower;
  const auto given = ParseParts(parts, &lower);
  if (!given) return std::nullopt;
  return SemverRange{lower, BumpPrefix(lower, *given)};
}

}  // namespace switchyard::core
