#include "experiments/metric_analysis.h"

#include <cmath>
#include <string>

#include "stats/distributions.h"
#include "stats/quantile_sketch.h"

namespace switchyard::experiments {
namespace {

bool IsUserLevelMean(const MetricDefinition& metric) {
  switch (metric.kind) {
    case MetricKind::kConversion:
    case MetricKind::kSum: return true;
    case MetricKind::kMean: return metric.unit == MetricUnit::kUser;
    case MetricKind::kRatio:
    case MetricKind::kPercentile: return false;
  }
  return false;
}

// The fewest units each kind's moments need (a rate is defined for one user; a variance is not).
double MinimumUnits(const MetricDefinition& metric) {
  return metric.kind == MetricKind::kConversion || metric.kind == MetricKind::kPercentile ? 1 : 2;
}

Status TooFew(const MetricSums& sums, double minimum) {
  if (sums.n >= minimum) return Status::Ok();
  return Status::InvalidArgument(
      sums.n == 0 ? "no units yet"
                  : "too few units yet (" + std::to_string(static_cast<long long>(sums.n)) + ", at least " +
                        std::to_string(static_cast<int>(minimum)) + " needed)");
}

Result<stats::Moments> MomentsOf(const MetricDefinition& metric, const MetricSums& sums) {
  if (Status s = TooFew(sums, MinimumUnits(metric)); !s.ok()) return s;
  switch (metric.kind) {
    case MetricKind::kConversion: return stats::MomentsOf(stats::ProportionCounts{sums.sum, sums.n});
    case MetricKind::kMean:
    case MetricKind::kSum: return stats::MomentsOf(stats::MeanSums{sums.sum, sums.sum_squares, sums.n});
    case MetricKind::kRatio:
      return stats::MomentsOf(stats::RatioSums{sums.sum, sums.denominator_sum, sums.sum_squares,
                                               sums.denominator_sum_squares, sums.cross_sum, sums.n});
    case MetricKind::kPercentile: break;
  }
  return Status::InvalidArgument("a percentile metric has no moments");
}

// A conversion's y is 0/1, so Σy² is Σy whatever the aggregator stored.
stats::CovariateSums CovariateOf(const MetricDefinition& metric, const MetricSums& sums) {
  const double sum_y_squares = metric.kind == MetricKind::kConversion ? sums.sum : sums.sum_squares;
  return {sums.n,        sums.covariate_sum,      sums.sum, sums.covariate_sum_squares,
          sum_y_squares, sums.covariate_cross_sum};
}

struct EffectAndCuped {
  stats::Effect effect;
  bool cuped_applied = false;
  double theta = 0;
};

Result<EffectAndCuped> EffectOf(const MetricDefinition& metric, const MetricSums& control,
                                const MetricSums& treatment, const AnalysisSettings& settings) {
  EffectAndCuped out;
  if (metric.kind == MetricKind::kPercentile) {
    if (Status s = TooFew(control, 1); !s.ok()) return s;
    if (Status s = TooFew(treatment, 1); !s.ok()) return s;
    if (!control.sketch || !treatment.sketch) return Status::InvalidArgument("no values yet");
    const stats::SketchQuantiles c(*control.sketch);
    const stats::SketchQuantiles t(*treatment.sketch);
    Result<stats::Effect> effect =
        stats::QuantileEffect(c, t, metric.percentile, settings.difference, settings.alpha);
    if (!effect.ok()) return effect.status();
    out.effect = *effect;
    return out;
  }
  Result<stats::Moments> c = MomentsOf(metric, control);
  if (!c.ok()) return c.status();
  Result<stats::Moments> t = MomentsOf(metric, treatment);
  if (!t.ok()) return t.status();
  stats::Moments control_moments = *c;
  stats::Moments treatment_moments = *t;
  const bool has_covariate = control.covariate_sum_squares > 0 || treatment.covariate_sum_squares > 0;
  if (settings.cuped && IsUserLevelMean(metric) && has_covariate) {
    Result<stats::CupedAdjusted> adjusted =
        stats::CupedAdjust(CovariateOf(metric, control), CovariateOf(metric, treatment));
    if (adjusted.ok() && adjusted->theta != 0) {
      control_moments = adjusted->control;
      treatment_moments = adjusted->treatment;
      out.cuped_applied = true;
      out.theta = adjusted->theta;
    }
  }
  Result<stats::Effect> effect =
      stats::EstimateEffect(control_moments, treatment_moments, settings.difference);
  if (!effect.ok()) return effect.status();
  out.effect = *effect;
  return out;
}

}  // namespace

bool IsImprovement(double expected, stats::Direction direction) {
  return direction == stats::Direction::kHigherIsBetter ? expected > 0 : expected < 0;
}

Result<SeriesPoint> EstimateVariantValue(const MetricDefinition& metric, const MetricSums& sums,
                                         const AnalysisSettings& settings) {
  SeriesPoint point;
  if (metric.kind == MetricKind::kPercentile) {
    if (Status s = TooFew(sums, 1); !s.ok()) return s;
    if (!sums.sketch || sums.sketch->empty()) return Status::InvalidArgument("no values yet");
    Result<stats::QuantileEstimate> q =
        stats::EstimateQuantile(stats::SketchQuantiles(*sums.sketch), metric.percentile, settings.alpha);
    if (!q.ok()) return q.status();
    point.available = true;
    point.value = q->estimate;
    point.ci = q->ci;
    return point;
  }
  Result<stats::Moments> m = MomentsOf(metric, sums);
  if (!m.ok()) return m.status();
  const double variance_of_mean = m->variance / m->n;
  const double half_width =
      settings.method == stats::Method::kSequential
          ? stats::SequentialHalfWidth(variance_of_mean, m->n, settings.alpha, settings.sequential_tuning)
          : stats::NormalQuantile(1 - settings.alpha / 2) * std::sqrt(variance_of_mean);
  point.available = true;
  point.value = m->mean;
  point.ci = {m->mean - half_width, m->mean + half_width};
  return point;
}

Result<VariantComparison> CompareVariant(const MetricDefinition& metric, const MetricSums& control,
                                         const MetricSums& treatment, const AnalysisSettings& settings) {
  Result<EffectAndCuped> effect = EffectOf(metric, control, treatment, settings);
  if (!effect.ok()) return effect.status();
  stats::CompareOptions options;
  options.method = settings.method;
  options.difference = settings.difference;
  options.alpha = settings.alpha;
  options.tuning = settings.sequential_tuning;
  options.prior = settings.prior;
  options.direction = metric.direction;
  Result<stats::Comparison> comparison = stats::Compare(effect->effect, options);
  if (!comparison.ok()) return comparison.status();
  VariantComparison out;
  out.available = true;
  out.expected = comparison->expected;
  out.ci = comparison->ci;
  out.p_value = comparison->p_value;
  out.cuped_applied = effect->cuped_applied;
  out.cuped_theta = effect->theta;
  if (comparison->chance_to_win) {
    out.chance_to_win = *comparison->chance_to_win;
    out.expected_loss_treatment = comparison->expected_loss_treatment.value_or(0);
    out.expected_loss_control = comparison->expected_loss_control.value_or(0);
  } else {
    // The frequentist and sequential methods say nothing of the chance to win; the posterior on
    // the same effect does, and costs well under a microsecond.
    Result<stats::BayesianResult> bayes =
        stats::BayesianTest(effect->effect, settings.prior, settings.alpha, metric.direction);
    if (!bayes.ok()) return bayes.status();
    out.chance_to_win = bayes->chance_to_win;
    out.expected_loss_treatment = bayes->expected_loss_treatment;
    out.expected_loss_control = bayes->expected_loss_control;
  }
  return out;
}

}  // namespace switchyard::experiments
