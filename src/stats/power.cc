// Sample size for a two-sided two-sample test of equality with unpooled variances (Chow, Shao &
// Wang, Sample Size Calculations in Clinical Research, 2nd ed., §4.2, and §3.2 for means):
//   n per variant = (z₁₋α/2 + z₁₋β)² · (σC² + σT²) / δ²,
// the variances being those our Welch test estimates. Example (the textbook check in
// tests/stats/power_test.cc): baseline 10 %, +10 % relative, α 0.05, power 0.8 gives
// 7.849 · (0.09 + 0.0979) / 0.01² = 14,749 per variant.
#include <cmath>

#include "stats/checks.h"
#include "stats/distributions.h"
#include "switchyard/stats.h"

namespace switchyard::stats {

Result<PowerResult> SampleSize(const PowerInputs& in) {
  if (Status s = CheckAlpha(in.alpha); !s.ok()) return s;
  if (!(in.power > 0 && in.power < 1)) {
    return Status::InvalidArgument("power must be between 0 and 1 (exclusive)", "power");
  }
  if (in.variants < 2) return Status::InvalidArgument("an experiment has at least 2 variants", "variants");
  if (!std::isfinite(in.relative_mde) || in.relative_mde == 0) {
    return Status::InvalidArgument("the minimum detectable effect must be a non-zero relative change",
                                   "relative_mde");
  }
  if (Status s = CheckFinite(in.baseline, "baseline"); !s.ok()) return s;
  double var_c = 0;
  double var_t = 0;
  double delta = in.baseline * in.relative_mde;
  if (in.metric == PowerInputs::Metric::kProportion) {
    const double pc = in.baseline;
    const double pt = pc * (1 + in.relative_mde);
    if (!(pc > 0 && pc < 1)) return Status::InvalidArgument("a baseline rate is between 0 and 1", "baseline");
    if (!(pt > 0 && pt < 1)) {
      return Status::InvalidArgument("baseline × (1 + relative_mde) must stay between 0 and 1",
                                     "relative_mde");
    }
    var_c = pc * (1 - pc);
    var_t = pt * (1 - pt);
  } else {
    if (in.baseline == 0)
      return Status::InvalidArgument("a relative effect needs a non-zero baseline", "baseline");
    if (!(in.standard_deviation > 0) || !std::isfinite(in.standard_deviation)) {
      return Status::InvalidArgument("standard_deviation must be a positive number", "standard_deviation");
    }
    var_c = var_t = in.standard_deviation * in.standard_deviation;
  }
  PowerResult result;
  result.alpha_per_comparison = in.alpha / (in.variants - 1);
  const double z = NormalQuantile(1 - result.alpha_per_comparison / 2) + NormalQuantile(in.power);
  result.per_variant = std::ceil(z * z * (var_c + var_t) / (delta * delta));
  result.total = result.per_variant * in.variants;
  return result;
}

}  // namespace switchyard::stats
