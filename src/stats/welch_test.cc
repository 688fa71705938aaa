// Two-sided Welch t-test on an Effect: t = Δ/se with the Welch–Satterthwaite degrees of freedom
// (Welch 1947), CI = Δ ± t(1 − α/2, ν)·se. Infinite ν (quantile effects) is the normal test.
#include <cmath>

#include "stats/checks.h"
#include "stats/distributions.h"
#include "switchyard/stats.h"

namespace switchyard::stats {

Result<FrequentistResult> FrequentistTest(const Effect& effect, double alpha) {
  if (Status s = CheckAlpha(alpha); !s.ok()) return s;
  if (!(effect.variance > 0) || !std::isfinite(effect.variance) || !std::isfinite(effect.estimate)) {
    return Status::InvalidArgument("the effect has no finite, positive variance", "control");
  }
  FrequentistResult result;
  result.expected = effect.estimate;
  result.standard_error = std::sqrt(effect.variance);
  result.degrees_of_freedom = effect.degrees_of_freedom;
  const double t = effect.estimate / result.standard_error;
  double critical = 0;
  if (std::isfinite(effect.degrees_of_freedom)) {
    if (!(effect.degrees_of_freedom > 0)) {
      return Status::InvalidArgument("the effect has no degrees of freedom", "control");
    }
    StudentsT dist(effect.degrees_of_freedom);
    critical = boost::math::quantile(dist, 1 - alpha / 2);
    result.p_value = 2 * boost::math::cdf(boost::math::complement(dist, std::abs(t)));
  } else {
    critical = NormalQuantile(1 - alpha / 2);
    result.p_value = 2 * boost::math::cdf(boost::math::complement(Normal(), std::abs(t)));
  }
  result.ci = {effect.estimate - critical * result.standard_error,
               effect.estimate + critical * result.standard_error};
  return result;
}

}  // namespace switchyard::stats
