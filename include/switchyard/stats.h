// The statistics engine: pure functions from sufficient statistics to comparisons between
// experiment variants. No I/O, no globals, no exceptions: every function that can refuse its
// input returns a Result (InvalidArgument, with `field` naming the offending input).
//
// The pipeline is: sufficient statistics per variant (sums an aggregator can merge) ->
// `Moments` (mean, per-unit variance, n) -> `Effect` (the difference between two variants, with
// the variance of that estimate) -> a test (frequentist Welch, sequential, Bayesian). Percentile
// metrics produce an `Effect` from quantile sketches instead, so they reuse the same tests.
// docs/DESIGN-NOTES.md ("Statistics") says where each formula comes from.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "switchyard/status.h"

namespace switchyard::stats {

// ---- Sufficient statistics (mergeable: add the fields of two to merge them) ----------------

// A mean metric: one value per unit (user), e.g. revenue per user.
struct MeanSums {
  double sum = 0;
  double sum_squares = 0;
  double n = 0;

  void Add(double value) {
    sum += value;
    sum_squares += value * value;
    n += 1;
  }
};

// A proportion metric: units that converted out of units exposed.
struct ProportionCounts {
  double successes = 0;
  double n = 0;
};

// A ratio metric Σa/Σb over units (e.g. cost per successful request: a = cost, b = successes),
// with the cross product the delta method needs for the covariance of a and b.
struct RatioSums {
  double sum_a = 0;
  double sum_b = 0;
  double sum_a_squares = 0;
  double sum_b_squares = 0;
  double sum_ab = 0;
  double n = 0;
};

// A metric y with a pre-exposure covariate x per unit (the same metric in a lookback window),
// for CUPED. For a proportion, y is 0/1 and sum_y_squares equals sum_y.
struct CovariateSums {
  double n = 0;
  double sum_x = 0;
  double sum_y = 0;
  double sum_x_squares = 0;
  double sum_y_squares = 0;
  double sum_xy = 0;

  void Add(double x, double y) {
    n += 1;
    sum_x += x;
    sum_y += y;
    sum_x_squares += x * x;
    sum_y_squares += y * y;
    sum_xy += x * y;
  }
};

// Outlier capping, a metric setting applied to each value before it is summed (winsorizing).
struct Capping {
  std::optional<double> lower;
  std::optional<double> upper;

  bool operator==(const Capping&) const = default;
};
double Capped(double value, const Capping& capping);

// ---- One variant's estimate ---------------------------------------------------------------

// The estimate of one variant: its mean, the per-unit variance, and n; the variance of the mean
// itself is variance / n.
struct Moments {
  double mean = 0;
  double variance = 0;
  double n = 0;
};

// Sample variance (sumsq - sum²/n) / (n - 1); needs n >= 2. `field` prefixes error fields.
Result<Moments> MomentsOf(const MeanSums& sums, const char* field = "");
// Variance p(1 - p); needs n >= 1 and 0 <= successes <= n.
Result<Moments> MomentsOf(const ProportionCounts& counts, const char* field = "");
// Mean Σa/Σb; `variance` is n times the delta-method variance of that ratio,
//   Var(ā/b̄) ≈ (σa² / b̄² − 2 ā σab / b̄³ + ā² σb² / b̄⁴) / n,
// so that variance / n is the variance of the estimate, as for a mean. Needs Σb != 0, n >= 2.
Result<Moments> MomentsOf(const RatioSums& sums, const char* field = "");

// ---- The difference between two variants ------------------------------------------------

enum class Difference {
  kRelative,  // (μT − μC) / |μC|, variance by the delta method
  kAbsolute,  // μT − μC
};

// A difference and the variance of its estimate, with what the tests need besides.
struct Effect {
  double estimate = 0;
  double variance = 0;
  // Welch–Satterthwaite degrees of freedom; +infinity for estimates that are normal by
  // construction (quantiles).
  double degrees_of_freedom = 0;
  double total_n = 0;  // units in both variants: the sequential test's N
  double control_mean = 0;
  double treatment_mean = 0;
};

// Needs n >= 2 in each variant, a variance that is not zero in both, and (relative) a control
// mean other than 0. Relative: Var(Δ) = σT²/(nT μC²) + μT² σC²/(nC μC⁴).
Result<Effect> EstimateEffect(const Moments& control, const Moments& treatment, Difference difference);

// Paired differences (treatment − control on the same unit, e.g. a shadow model and the baseline
// answering one request): the mean difference with variance s²/n and n − 1 degrees of freedom,
// ready for FrequentistTest (a paired t-test). Needs n >= 2.
Result<Effect> PairedEffect(const MeanSums& differences);

// ---- Tests --------------------------------------------------------------------------------

struct Interval {
  double lower = 0;
  double upper = 0;
  bool Excludes(double value) const { return value < lower || value > upper; }
};

// Two-sided Welch t-test: CI = Δ ± t(1 − α/2, ν)·se.
struct FrequentistResult {
  double expected = 0;
  double standard_error = 0;
  Interval ci;
  double p_value = 1;
  double degrees_of_freedom = 0;
};
Result<FrequentistResult> FrequentistTest(const Effect& effect, double alpha);

// The asymptotic confidence sequence of Waudby-Smith et al. (arXiv 2103.06476, eq. 161), tuned
// to be tightest at N* = `tuning` units, with the always-valid p-value that matches it: the
// smallest α whose interval excludes 0.
struct SequentialResult {
  double expected = 0;
  double standard_error = 0;
  Interval ci;
  double p_value = 1;
};
Result<SequentialResult> SequentialTest(const Effect& effect, double alpha, double tuning);
// The half-width alone (no allocation, no checks): for simulations that look after every batch.
double SequentialHalfWidth(double variance, double total_n, double alpha, double tuning);

enum class Direction { kHigherIsBetter, kLowerIsBetter };

// A normal prior on the effect (in the scale of the chosen Difference).
struct GaussianPrior {
  double mean = 0;
  double variance = 1;

  bool operator==(const GaussianPrior&) const = default;
};

// Gaussian posterior on the effect: the data's likelihood N(Δ, v) combined with the prior by
// precision weighting (a flat prior when there is none).
struct BayesianResult {
  double expected = 0;  // posterior mean
  double standard_deviation = 0;
  Interval credible_interval;  // central, 1 − α
  double chance_to_win = 0;    // P(treatment better than control)
  // Expected loss (in the effect's scale) when shipping treatment: E[max(0, −Δ)] for
  // higher-is-better; and when keeping control: E[max(0, Δ)].
  double expected_loss_treatment = 0;
  double expected_loss_control = 0;
};
Result<BayesianResult> BayesianTest(const Effect& effect, const std::optional<GaussianPrior>& prior,
                                    double alpha, Direction direction = Direction::kHigherIsBetter);

// ---- CUPED --------------------------------------------------------------------------------

// Regression adjustment with a pre-exposure covariate (Deng, Xu, Kohavi & Walker 2013):
// θ = pooled within-variant cov(x, y) / var(x); each variant's mean becomes
// ȳ − θ(x̄ − x̄_all) and its per-unit variance var(y) − 2θ cov(x, y) + θ² var(x).
// θ is 0 when x does not vary. Needs n >= 2 in each variant.
struct CupedAdjusted {
  Moments control;
  Moments treatment;
  double theta = 0;
};
Result<CupedAdjusted> CupedAdjust(const CovariateSums& control, const CovariateSums& treatment);

// ---- Percentile metrics -------------------------------------------------------------------

// What a quantile interval needs from a variant's data: n, the inverse CDF, and how far a rank
// it answers may be from the exact one (0 for a sorted sample; a sketch's rank error, as a
// fraction of n, otherwise). A mergeable sketch (t-digest, KLL, DDSketch) implements this.
class QuantileSource {
 public:
  virtual ~QuantileSource() = default;
  virtual double Count() const = 0;
  // The smallest value v with F(v) >= fraction (fraction in [0, 1]).
  virtual double Quantile(double fraction) const = 0;
  virtual double RankError() const = 0;
};

// A QuantileSource over a sorted sample (not copied: the span must outlive it).
class SortedSample final : public QuantileSource {
 public:
  explicit SortedSample(std::span<const double> sorted) : sorted_(sorted) {}
  double Count() const override { return static_cast<double>(sorted_.size()); }
  double Quantile(double fraction) const override;
  double RankError() const override { return 0; }

 private:
  std::span<const double> sorted_;
};

// A distribution-free interval for the q-th quantile: the order statistics at ranks
// nq ∓ z·√(nq(1−q)) (the binomial's normal approximation), widened by the source's rank error.
// standard_error is the interval's half-width over z, so two quantiles can be compared.
struct QuantileEstimate {
  double estimate = 0;
  Interval ci;
  double standard_error = 0;
  double n = 0;
};
Result<QuantileEstimate> EstimateQuantile(const QuantileSource& source, double q, double alpha);
// The difference between the variants' q-th quantiles as an Effect (normal: infinite degrees of
// freedom) for FrequentistTest / SequentialTest / BayesianTest.
Result<Effect> QuantileEffect(const QuantileSource& control, const QuantileSource& treatment, double q,
                              Difference difference, double alpha);

// ---- Health and multiplicity --------------------------------------------------------------

// Sample-ratio mismatch: Pearson χ² goodness of fit of the observed counts against the configured
// weights (normalized to sum to 1), df = k − 1. One variant, or no units, gives p = 1.
inline constexpr double kSrmThreshold = 0.001;
struct SrmResult {
  double chi_square = 0;
  double degrees_of_freedom = 0;
  double p_value = 1;
  bool mismatch = false;  // p < kSrmThreshold
};
Result<SrmResult> SampleRatioMismatch(std::span<const double> counts, std::span<const double> weights);

// Adjusted p-values, in the order given: Holm's step-down (family-wise error) and
// Benjamini–Hochberg's step-up (false discovery rate). Each p must be in [0, 1].
Result<std::vector<double>> HolmAdjust(std::span<const double> p_values);
Result<std::vector<double>> BenjaminiHochbergAdjust(std::span<const double> p_values);

// ---- Planning -----------------------------------------------------------------------------

// Units per variant for a two-sided test of treatment against control to detect a relative
// change of `relative_mde` with the given power. A proportion metric gives its baseline rate
// (its variance is p(1−p), and the treatment's p(1+mde)(1−p(1+mde))); a mean metric its baseline
// mean and standard deviation (the same in both variants). With more than two variants α is
// split over the comparisons with control (Bonferroni). n = (z₁₋α/2 + z_power)² (σC² + σT²) / δ².
struct PowerInputs {
  enum class Metric { kProportion, kMean } metric = Metric::kProportion;
  double baseline = 0;            // rate (proportion) or mean
  double standard_deviation = 0;  // mean metrics only
  double relative_mde = 0;        // e.g. 0.1 for +10 %
  double alpha = 0.05;
  double power = 0.8;
  int variants = 2;  // control included
};
struct PowerResult {
  double per_variant = 0;  // rounded up to a whole unit
  double total = 0;
  double alpha_per_comparison = 0;
};
Result<PowerResult> SampleSize(const PowerInputs& inputs);

// ---- One call for the calculator ------------------------------------------------------------

enum class Method { kFrequentist, kSequential, kBayesian };

struct CompareOptions {
  Method method = Method::kSequential;
  Difference difference = Difference::kRelative;
  double alpha = 0.05;
  double tuning = 5000;                // sequential N*
  std::optional<GaussianPrior> prior;  // Bayesian; none is flat
  Direction direction = Direction::kHigherIsBetter;
};

// What results show for one comparison. p_value is set by the frequentist and sequential
// methods, chance_to_win and the expected losses by the Bayesian one; `significant` means the
// interval excludes 0 (for the Bayesian method: chance to win beyond 1 − α/2 either way).
struct Comparison {
  double control_mean = 0;
  double treatment_mean = 0;
  double expected = 0;
  double standard_error = 0;
  Interval ci;
  std::optional<double> p_value;
  std::optional<double> chance_to_win;
  std::optional<double> expected_loss_treatment;
  std::optional<double> expected_loss_control;
  std::optional<double> degrees_of_freedom;
  bool significant = false;
};
// Checks the options (InvalidArgument naming "alpha", "tuning", "prior.variance").
Result<Comparison> Compare(const Effect& effect, const CompareOptions& options);
Result<Comparison> Compare(const Moments& control, const Moments& treatment, const CompareOptions& options);

}  // namespace switchyard::stats
