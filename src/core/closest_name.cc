#include "core/closest_name.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace switchyard::core {
namespace {

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::size_t LengthGap(std::string_view a, std::string_view b) {
  return a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
}

template <typename Names>
std::optional<std::string> Closest(std::string_view name, const Names& known) {
  const std::size_t limit = PlausibleEdits(name.size());
  std::optional<std::string> best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& candidate : known) {
    const std::string_view text(candidate);
    if (text == name) return std::nullopt;
    if (LengthGap(text, name) > limit) continue;  // at least that many edits: not worth computing
    const std::size_t distance = EditDistance(name, text);
    if (distance <= limit && distance < best_distance) {
      best_distance = distance;
      best = std::string(text);
    }
  }
  return best;
}

}  // namespace

// Optimal string alignment distance over three rows: O(|a|*|b|) time, O(|b|) memory.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && Lower(a[i - 1]) == Lower(b[j - 2]) && Lower(a[i - 2]) == Lower(b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::size_t PlausibleEdits(std::size_t length) {
  if (length <= 5) return 1;
  return std::min<std::size_t>(3, 1 + (length - 3) / 3);
}

std::optional<std::string> ClosestName(std::string_view name, std::span<const std::string_view> known) {
  return Closest(name, known);
}

std::optional<std::string> ClosestName(std::string_view name, const std::vector<std::string>& known) {
  return Closest(name, known);
}

}  // namespace switchyard::core
