// The asymptotic confidence sequence of Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas, "Time-
// uniform central limit theory and asymptotic confidence sequences" (arXiv 2103.06476, eq. 161):
// with N units so far and v the variance of the estimate,
//   Δ ± √(v·N) · √( 2(Nρ² + 1) / (N²ρ²) · ln(√(Nρ² + 1) / α) ),
// where ρ² = (−2 ln α + ln(1 − 2 ln α)) / N* makes the sequence tightest near N = N* (the
// tuning). It holds at every N at once, so results may be watched continuously.
//
// The always-valid p-value is the smallest α whose interval excludes 0. ρ depends on α, so there
// is no closed form: with x = −ln α the half-width grows monotonically in x (checked in
// tests/stats/sequential_test.cc), and we solve half-width(x) = |Δ| with Boost's TOMS 748
// bracketing root finder. As α → 1 the half-width tends to a positive limit, not 0: an effect
// inside that limit has p = 1.
#include <cmath>
#include <cstdint>

#include <boost/math/tools/roots.hpp>

#include "stats/checks.h"
#include "stats/distributions.h"
#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

// x = −ln α; log1p keeps precision as α → 1 (x → 0).
double HalfWidthAt(double variance, double total_n, double x, double tuning) {
  const double rho2 = (2 * x + std::log1p(2 * x)) / tuning;
  const double n_rho2 = total_n * rho2;
  const double radicand = 2 * (n_rho2 + 1) / (total_n * n_rho2) * (0.5 * std::log1p(n_rho2) + x);
  return std::sqrt(variance * total_n) * std::sqrt(radicand);
}

constexpr double kMinX = 1e-10;  // α just below 1
constexpr double kMaxX = 700;    // α ≈ 1e-304, near the smallest normal double

double AlwaysValidPValue(double estimate, double variance, double total_n, double tuning) {
  const double target = std::abs(estimate);
  auto gap = [&](double x) { return HalfWidthAt(variance, total_n, x, tuning) - target; };
  const double at_min = gap(kMinX);
  if (at_min >= 0) return 1;
  const double at_max = gap(kMaxX);
  if (at_max < 0) return std::exp(-kMaxX);
  std::uintmax_t iterations = 100;
  boost::math::tools::eps_tolerance<double> tolerance(40);
  const auto [lo, hi] =
      boost::math::tools::toms748_solve(gap, kMinX, kMaxX, at_min, at_max, tolerance, iterations, NoThrow());
  return std::exp(-0.5 * (lo + hi));
}

}  // namespace

double SequentialHalfWidth(double variance, double total_n, double alpha, double tuning) {
  return HalfWidthAt(variance, total_n, -std::log(alpha), tuning);
}

Result<SequentialResult> SequentialTest(const Effect& effect, double alpha, double tuning) {
  if (Status s = CheckAlpha(alpha); !s.ok()) return s;
  if (!(tuning > 0) || !std::isfinite(tuning)) {
    return Status::InvalidArgument("tuning (N*) must be a positive number of units", "tuning");
  }
  if (!(effect.variance > 0) || !std::isfinite(effect.variance) || !std::isfinite(effect.estimate)) {
    return Status::InvalidArgument("the effect has no finite, positive variance", "control");
  }
  if (!(effect.total_n >= 1)) return Status::InvalidArgument("the effect covers no units", "control");
  SequentialResult result;
  result.expected = effect.estimate;
  result.standard_error = std::sqrt(effect.variance);
  const double half = SequentialHalfWidth(effect.variance, effect.total_n, alpha, tuning);
  result.ci = {effect.estimate - half, effect.estimate + half};
  result.p_value = AlwaysValidPValue(effect.estimate, effect.variance, effect.total_n, tuning);
  return result;
}

}  // namespace switchyard::stats
