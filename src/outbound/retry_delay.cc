#include "outbound/retry_delay.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string_view>

namespace switchyard::outbound {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<double> NonNegativeNumber(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value) ||
      value < 0)
    return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::chrono::milliseconds> RetryAfterHint(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::optional<double> seconds_hint;
  for (const auto& [name, value] : headers) {
    if (EqualsIgnoreCase(name, "retry-after-ms")) {
      if (auto ms = NonNegativeNumber(value))
        return std::chrono::milliseconds(std::llround(std::min(*ms, 1e12)));
    } else if (EqualsIgnoreCase(name, "retry-after")) {
      seconds_hint = NonNegativeNumber(value);
    }
  }
  if (!seconds_hint) return std::nullopt;
  return std::chrono::milliseconds(std::llround(std::min(*seconds_hint, 1e9) * 1000));
}

std::chrono::milliseconds RetryDelay(std::chrono::milliseconds base_backoff,
                                     std::chrono::milliseconds max_backoff, int retry,
                                     std::optional<std::chrono::milliseconds> hint, double unit_random) {
  if (hint) return std::min(*hint, max_backoff * 4);
  // The ceiling doubles per retry; the shift is capped so it cannot overflow.
  int doublings = std::clamp(retry - 1, 0, 30);
  double ceiling = std::min(static_cast<double>(base_backoff.count()) * std::ldexp(1.0, doublings),
                            static_cast<double>(max_backoff.count()));
  ceiling = std::max(ceiling, 0.0);
  return std::chrono::milliseconds(static_cast<long long>(ceiling * std::clamp(unit_random, 0.0, 1.0)));
}

}  // namespace switchyard::outbound
