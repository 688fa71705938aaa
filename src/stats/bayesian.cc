// Gaussian posterior on the effect. The data's likelihood is N(Δ, v) (v the variance of the
// estimate); a Gaussian prior N(μ₀, σ₀²) combines with it by precision weighting
// (conjugate normal–normal model, e.g. Gelman et al., Bayesian Data Analysis, 3rd ed., §2.5):
//   precision = 1/σ₀² + 1/v,  mean = (μ₀/σ₀² + Δ/v) / precision.
// With no prior the posterior is N(Δ, v). For D ~ N(m, s²):
//   P(D > 0) = Φ(m/s),  E[max(0, −D)] = s·φ(m/s) − m·Φ(−m/s),  E[max(0, D)] = s·φ(m/s) + m·Φ(m/s).
#include <cmath>

#include "stats/checks.h"
#include "stats/distributions.h"
#include "switchyard/stats.h"

namespace switchyard::stats {

Result<BayesianResult> BayesianTest(const Effect& effect, const std::optional<GaussianPrior>& prior,
                                    double alpha, Direction direction) {
  if (Status s = CheckAlpha(alpha); !s.ok()) return s;
  if (!(effect.variance > 0) || !std::isfinite(effect.variance) || !std::isfinite(effect.estimate)) {
    return Status::InvalidArgument("the effect has no finite, positive variance", "control");
  }
  double mean = effect.estimate;
  double variance = effect.variance;
  if (prior) {
    if (Status s = CheckFinite(prior->mean, "prior.mean"); !s.ok()) return s;
    if (!(prior->variance > 0) || !std::isfinite(prior->variance)) {
      return Status::InvalidArgument("prior.variance must be a positive number", "prior.variance");
    }
    const double precision = 1 / prior->variance + 1 / effect.variance;
    mean = (prior->mean / prior->variance + effect.estimate / effect.variance) / precision;
    variance = 1 / precision;
  }
  BayesianResult result;
  result.expected = mean;
  result.standard_deviation = std::sqrt(variance);
  const double z = NormalQuantile(1 - alpha / 2);
  result.credible_interval = {mean - z * result.standard_deviation, mean + z * result.standard_deviation};
  // `gain` is the effect measured so that positive is better.
  const double gain = direction == Direction::kHigherIsBetter ? mean : -mean;
  const double s = result.standard_deviation;
  const double ratio = gain / s;
  result.chance_to_win = NormalCdf(ratio);
  result.expected_loss_treatment = s * NormalPdf(ratio) - gain * NormalCdf(-ratio);
  result.expected_loss_control = s * NormalPdf(ratio) + gain * NormalCdf(ratio);
  return result;
}

}  // namespace switchyard::stats
