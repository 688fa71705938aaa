// Adjusted p-values for m simultaneous tests, returned in the order given (the forms of R's
// p.adjust). With p₍₁₎ <= … <= p₍ₘ₎:
//   Holm (1979), step-down, controls the family-wise error rate:
//     p̃₍ᵢ₎ = max_{j<=i} min(1, (m − j + 1)·p₍ⱼ₎)
//   Benjamini & Hochberg (1995), step-up, controls the false discovery rate:
//     p̃₍ᵢ₎ = min_{j>=i} min(1, m/j·p₍ⱼ₎)
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

Status CheckPValues(std::span<const double> p_values) {
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    if (!(p_values[i] >= 0 && p_values[i] <= 1)) {
      const std::string field = "p_values[" + std::to_string(i) + "]";
      return Status::InvalidArgument(field + " must be a probability from 0 to 1", field);
    }
  }
  return Status::Ok();
}

// Indices of p_values, smallest p first (ties keep their order).
std::vector<std::size_t> AscendingOrder(std::span<const double> p_values) {
  std::vector<std::size_t> order(p_values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  return order;
}

}  // namespace

Result<std::vector<double>> HolmAdjust(std::span<const double> p_values) {
  if (Status s = CheckPValues(p_values); !s.ok()) return s;
  const std::vector<std::size_t> order = AscendingOrder(p_values);
  const double m = static_cast<double>(p_values.size());
  std::vector<double> adjusted(p_values.size());
  double running_max = 0;
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const double scaled = std::min(1.0, (m - static_cast<double>(rank)) * p_values[order[rank]]);
    running_max = std::max(running_max, scaled);
    adjusted[order[rank]] = running_max;
  }
  return adjusted;
}

Result<std::vector<double>> BenjaminiHochbergAdjust(std::span<const double> p_values) {
  if (Status s = CheckPValues(p_values); !s.ok()) return s;
  const std::vector<std::size_t> order = AscendingOrder(p_values);
  const double m = static_cast<double>(p_values.size());
  std::vector<double> adjusted(p_values.size());
  double running_min = 1;
  for (std::size_t rank = order.size(); rank-- > 0;) {
    const double scaled = std::min(1.0, m / static_cast<double>(rank + 1) * p_values[order[rank]]);
    running_min = std::min(running_min, scaled);
    adjusted[order[rank]] = running_min;
  }
  return adjusted;
}

}  // namespace switchyard::stats
