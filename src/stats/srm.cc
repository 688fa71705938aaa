// Sample-ratio mismatch: Pearson's χ² goodness-of-fit statistic Σ (O − E)²/E, with E = N·w for
// the configured weights w (normalized), against χ² with k − 1 degrees of freedom.
#include <cmath>
#include <string>

#include "stats/checks.h"
#include "stats/distributions.h"
#include "switchyard/stats.h"

namespace switchyard::stats {

Result<SrmResult> SampleRatioMismatch(std::span<const double> counts, std::span<const double> weights) {
  if (counts.size() != weights.size()) {
    return Status::InvalidArgument("counts and weights must have the same length", "weights");
  }
  if (counts.empty()) return Status::InvalidArgument("counts must name at least one variant", "counts");
  double total = 0;
  double weight_total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const std::string count_field = "counts[" + std::to_string(i) + "]";
    const std::string weight_field = "weights[" + std::to_string(i) + "]";
    if (!std::isfinite(counts[i]) || counts[i] < 0) {
      return Status::InvalidArgument(count_field + " must be a count (0 or more)", count_field);
    }
    if (!std::isfinite(weights[i]) || !(weights[i] > 0)) {
      return Status::InvalidArgument(weight_field + " must be a positive number", weight_field);
    }
    total += counts[i];
    weight_total += weights[i];
  }
  SrmResult result;
  result.degrees_of_freedom = static_cast<double>(counts.size() - 1);
  if (counts.size() < 2 || total == 0) return result;  // nothing to mismatch: p = 1
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double expected = total * weights[i] / weight_total;
    const double deviation = counts[i] - expected;
    result.chi_square += deviation * deviation / expected;
  }
  result.p_value =
      boost::math::cdf(boost::math::complement(ChiSquared(result.degrees_of_freedom), result.chi_square));
  result.mismatch = result.p_value < kSrmThreshold;
  return result;
}

}  // namespace switchyard::stats
