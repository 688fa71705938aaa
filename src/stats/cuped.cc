// CUPED (Deng, Xu, Kohavi & Walker, "Improving the Sensitivity of Online Controlled Experiments
// by Utilizing Pre-Experiment Data", WSDM 2013): Y_cv = Y − θ(X − E[X]) with θ = cov(X, Y)/var(X)
// keeps the mean's expectation and shrinks its variance by the factor 1 − ρ(X, Y)².
//
// θ is estimated once for both variants from the pooled within-variant covariance and variance
// (each variant centred on its own means, so a treatment effect on Y does not leak into θ;
// X is pre-exposure and has the same distribution in both). E[X] is the pooled mean of X.
#include <algorithm>
#include <cmath>

#include "stats/checks.h"
#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

struct Centered {
  double sxx = 0;  // Σ(x − x̄)²
  double syy = 0;
  double sxy = 0;
};

Centered CenteredSums(const CovariateSums& s) {
  return {s.sum_x_squares - s.sum_x * s.sum_x / s.n, s.sum_y_squares - s.sum_y * s.sum_y / s.n,
          s.sum_xy - s.sum_x * s.sum_y / s.n};
}

Status Check(const CovariateSums& s, const char* field) {
  if (!(s.n >= 2)) {
    const std::string f = Field(field, "n");
    return Status::InvalidArgument(f + " must be at least 2", f);
  }
  for (auto [value, name] :
       {std::pair{s.sum_x, "sum_x"}, std::pair{s.sum_y, "sum_y"}, std::pair{s.sum_x_squares, "sum_x_squares"},
        std::pair{s.sum_y_squares, "sum_y_squares"}, std::pair{s.sum_xy, "sum_xy"}}) {
    if (Status st = CheckFinite(value, Field(field, name)); !st.ok()) return st;
  }
  return Status::Ok();
}

Moments Adjusted(const CovariateSums& s, const Centered& c, double theta, double pooled_mean_x) {
  const double mean_x = s.sum_x / s.n;
  const double mean_y = s.sum_y / s.n;
  // var(y − θx) = var(y) − 2θ cov(x, y) + θ² var(x), each over n − 1.
  const double variance = (c.syy - 2 * theta * c.sxy + theta * theta * c.sxx) / (s.n - 1);
  return Moments{mean_y - theta * (mean_x - pooled_mean_x), std::max(0.0, variance), s.n};
}

}  // namespace

Result<CupedAdjusted> CupedAdjust(const CovariateSums& control, const CovariateSums& treatment) {
  if (Status s = Check(control, "control"); !s.ok()) return s;
  if (Status s = Check(treatment, "treatment"); !s.ok()) return s;
  const Centered c = CenteredSums(control);
  const Centered t = CenteredSums(treatment);
  const double sxx = c.sxx + t.sxx;
  CupedAdjusted result;
  // A covariate that does not vary explains nothing: no adjustment rather than a division by 0.
  result.theta = sxx > 0 ? (c.sxy + t.sxy) / sxx : 0;
  const double pooled_mean_x = (control.sum_x + treatment.sum_x) / (control.n + treatment.n);
  result.control = Adjusted(control, c, result.theta, pooled_mean_x);
  result.treatment = Adjusted(treatment, t, result.theta, pooled_mean_x);
  return result;
}

}  // namespace switchyard::stats
