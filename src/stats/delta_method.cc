// The difference between two variants and the variance of its estimate. The relative lift is a
// ratio of two independent means, so its variance comes from the delta method (first-order
// Taylor expansion of μT/μC − 1 around the estimates):
//   Var(Δ) ≈ Var(μ̂T)/μC² + μT²·Var(μ̂C)/μC⁴.
// Degrees of freedom are Welch–Satterthwaite's on the two means' variances, for either scale.
#include <cmath>
#include <limits>

#include "stats/checks.h"
#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

Status CheckMoments(const Moments& m, const char* field) {
  if (!(m.n >= 2)) {
    const std::string f = Field(field, "n");
    return Status::InvalidArgument(f + " must be at least 2", f);
  }
  if (!std::isfinite(m.mean) || !std::isfinite(m.variance) || m.variance < 0) {
    return Status::InvalidArgument(std::string(field) + " has no finite mean and variance", field);
  }
  return Status::Ok();
}

}  // namespace

Result<Effect> EstimateEffect(const Moments& control, const Moments& treatment, Difference difference) {
  if (Status s = CheckMoments(control, "control"); !s.ok()) return s;
  if (Status s = CheckMoments(treatment, "treatment"); !s.ok()) return s;
  const double var_c = control.variance / control.n;  // variance of the control mean
  const double var_t = treatment.variance / treatment.n;
  if (var_c + var_t <= 0) {
    return Status::InvalidArgument("both variants have zero variance: there is nothing to test", "control");
  }
  Effect effect;
  effect.control_mean = control.mean;
  effect.treatment_mean = treatment.mean;
  effect.total_n = control.n + treatment.n;
  effect.degrees_of_freedom = (var_c + var_t) * (var_c + var_t) /
                              (var_c * var_c / (control.n - 1) + var_t * var_t / (treatment.n - 1));
  if (difference == Difference::kAbsolute) {
    effect.estimate = treatment.mean - control.mean;
    effect.variance = var_c + var_t;
    return effect;
  }
  if (control.mean == 0) {
    return Status::InvalidArgument(
        "the control mean is 0: a relative difference is undefined (ask for absolute)", "control");
  }
  const double mc2 = control.mean * control.mean;
  effect.estimate = (treatment.mean - control.mean) / std::abs(control.mean);
  effect.variance = var_t / mc2 + treatment.mean * treatment.mean * var_c / (mc2 * mc2);
  if (!std::isfinite(effect.variance) || effect.variance <= 0) {
    return Status::InvalidArgument("the relative difference has no finite variance at these values",
                                   "control");
  }
  return effect;
}

}  // namespace switchyard::stats
