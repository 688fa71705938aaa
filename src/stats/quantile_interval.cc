// Intervals for quantiles without assuming a distribution. The number of observations at or
// below the true q-th quantile is Binomial(n, q), so the order statistics at ranks
//   nq ∓ z·√(nq(1 − q))   (the binomial's normal approximation)
// bracket it with probability ≈ 1 − α (Conover, Practical Nonparametric Statistics, 3rd ed.,
// §3.2). The ranks are rounded outwards, and a sketch's rank error ε widens them by εn each way,
// so the interval stays conservative on a mergeable sketch that only answers ranks to within ε.
//
// Two variants' quantiles are compared as normal estimates whose standard error is the
// interval's half-width over z (the normal approximation the interval itself rests on); their
// difference then goes through the same tests as means.
#include <algorithm>
#include <cmath>
#include <limits>

#include "stats/checks.h"
#include "stats/distributions.h"
#include "switchyard/stats.h"

namespace switchyard::stats {

double SortedSample::Quantile(double fraction) const {
  if (sorted_.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double n = static_cast<double>(sorted_.size());
  // Rank ⌈fraction·n⌉ (1-based), at least 1: the smallest value whose ECDF reaches `fraction`.
  const double rank = std::clamp(std::ceil(fraction * n - 1e-9), 1.0, n);
  return sorted_[static_cast<std::size_t>(rank) - 1];
}

Result<QuantileEstimate> EstimateQuantile(const QuantileSource& source, double q, double alpha) {
  if (Status s = CheckAlpha(alpha); !s.ok()) return s;
  if (!(q > 0 && q < 1))
    return Status::InvalidArgument("the quantile must be between 0 and 1 (exclusive)", "quantile");
  const double n = source.Count();
  if (!(n >= 1)) return Status::InvalidArgument("a quantile needs at least one value", "n");
  const double z = NormalQuantile(1 - alpha / 2);
  const double spread = z * std::sqrt(n * q * (1 - q)) + source.RankError() * n;
  const double lower_rank = std::max(0.0, std::floor(n * q - spread));
  const double upper_rank = std::min(n, std::ceil(n * q + spread));
  QuantileEstimate estimate;
  estimate.n = n;
  estimate.estimate = source.Quantile(q);
  estimate.ci = {source.Quantile(lower_rank / n), source.Quantile(upper_rank / n)};
  estimate.standard_error = (estimate.ci.upper - estimate.ci.lower) / (2 * z);
  if (!std::isfinite(estimate.estimate) || !std::isfinite(estimate.standard_error)) {
    return Status::InvalidArgument("the quantile source answered no finite value", "n");
  }
  return estimate;
}

Result<Effect> QuantileEffect(const QuantileSource& control, const QuantileSource& treatment, double q,
                              Difference difference, double alpha) {
  Result<QuantileEstimate> c = EstimateQuantile(control, q, alpha);
  if (!c.ok())
    return Status::InvalidArgument(c.status().message(), Field("control", c.status().field().c_str()));
  Result<QuantileEstimate> t = EstimateQuantile(treatment, q, alpha);
  if (!t.ok()) {
    return Status::InvalidArgument(t.status().message(), Field("treatment", t.status().field().c_str()));
  }
  Effect effect;
  effect.control_mean = c->estimate;
  effect.treatment_mean = t->estimate;
  effect.total_n = c->n + t->n;
  effect.degrees_of_freedom = std::numeric_limits<double>::infinity();
  const double var_c = c->standard_error * c->standard_error;
  const double var_t = t->standard_error * t->standard_error;
  if (difference == Difference::kAbsolute) {
    effect.estimate = t->estimate - c->estimate;
    effect.variance = var_c + var_t;
  } else {
    if (c->estimate == 0) {
      return Status::InvalidArgument("the control quantile is 0: a relative difference is undefined",
                                     "control");
    }
    const double qc2 = c->estimate * c->estimate;
    effect.estimate = (t->estimate - c->estimate) / std::abs(c->estimate);
    effect.variance = var_t / qc2 + t->estimate * t->estimate * var_c / (qc2 * qc2);
  }
  if (!(effect.variance > 0)) {
    return Status::InvalidArgument("both quantiles have zero-width intervals: there is nothing to test",
                                   "control");
  }
  return effect;
}

}  // namespace switchyard::stats
