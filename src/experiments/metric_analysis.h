// One metric's numbers from its sufficient statistics: a variant's value with its interval, and a
// treatment's lift against control through the analysis method. Shared by the results (totals)
// and the charts (the totals as they stood at each hour), so both always agree. Every formula is
// the stats engine's (sy_stats); this file only picks which one a metric kind needs:
//
//   conversion            ProportionCounts {successes = sum, n}
//   mean, sum             MeanSums {sum, sum_squares, n}
//   ratio                 RatioSums (numerator = sum, denominator = denominator_sum, delta method)
//   percentile            the variant's QuantileSketch: EstimateQuantile / QuantileEffect
//
// CUPED (CupedAdjust) replaces both variants' moments when the settings ask for it, the metric is
// per user and not a ratio or percentile (conversion, sum, per-user mean), and either variant has
// a covariate (some user with a non-zero pre-exposure value). It counts as applied when θ ≠ 0: a
// covariate that does not vary adjusts nothing.
#pragma once

#include "experiments/experiment.h"
#include "experiments/experiment_aggregate.h"
#include "experiments/experiment_results.h"
#include "experiments/metric_definition.h"
#include "switchyard/status.h"

namespace switchyard::experiments {

// The value of `metric` in one variant and its 1 − α interval: normal (z) for means, rates and
// ratios, widened to the confidence sequence when the method is sequential, so it may be watched
// like the lifts; the order-statistic interval (fixed horizon) for percentiles. InvalidArgument
// with the reason when the variant has too few units.
Result<SeriesPoint> EstimateVariantValue(const MetricDefinition& metric, const MetricSums& sums,
                                         const AnalysisSettings& settings);

// The treatment's lift against control with the analysis method, plus the Bayesian chance to win
// and expected losses whatever the method. `significant` and `outcome` are left for the caller
// (they depend on the correction); `variant` too. InvalidArgument with the reason when no
// comparison is possible yet.
Result<VariantComparison> CompareVariant(const MetricDefinition& metric, const MetricSums& control,
                                         const MetricSums& treatment, const AnalysisSettings& settings);

// Whether a difference of `expected` (significant or not) is an improvement by the direction.
bool IsImprovement(double expected, stats::Direction direction);

}  // namespace switchyard::experiments
