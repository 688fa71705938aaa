// ExperimentResults: what the analysis of an experiment answers (GET .../experiments/{key}/results,
// `switchyard experiments results|report`): per variant its exposures, per metric each variant's
// value with its interval and each treatment's lift against control, the health checks, the
// verdict, and the same numbers hour by hour for charts. Pure data; AnalyzeExperiment computes it
// (experiment_analysis.h) and ResultsToJson renders it (results_json.h, shape in docs/API.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "experiments/experiment.h"
#include "experiments/metric_definition.h"
#include "switchyard/stats.h"

namespace switchyard::experiments {

enum class MetricRole { kPrimary, kSecondary, kGuardrail };

// One metric in one variant. Absent (available = false, with the reason) while the variant has
// too few units for an estimate.
struct VariantEstimate {
  std::string variant;
  double n = 0;  // units: exposed users, or events for per-event means and percentiles
  bool available = false;
  std::string reason;
  double value = 0;  // mean, rate, ratio or percentile
  stats::Interval ci;
};

// Better or worse by the metric's direction; kNone unless the difference is significant.
enum class Outcome { kNone, kBetter, kWorse };

// One treatment against control on one metric.
struct VariantComparison {
  std::string variant;  // the treatment
  bool available = false;
  std::string reason;                      // why there is no comparison (too few units, no variance, ...)
  double expected = 0;                     // the lift: relative or absolute per AnalysisSettings::difference
  stats::Interval ci;                      // unadjusted, from the analysis method
  std::optional<double> p_value;           // frequentist and sequential
  std::optional<double> adjusted_p_value;  // after Holm / BH (primary and secondary metrics)
  // Bayesian, computed for every method (the analysis prior, or flat): P(treatment better by
  // the metric's direction) and the expected losses of shipping it or keeping control.
  double chance_to_win = 0;
  double expected_loss_treatment = 0;
  double expected_loss_control = 0;
  bool cuped_applied = false;
  double cuped_theta = 0;
  bool significant = false;  // after the correction (guardrails: at alpha on their own)
  Outcome outcome = Outcome::kNone;
};

struct MetricResult {
  std::string key;
  std::string name;
  MetricRole role = MetricRole::kPrimary;
  bool defined = false;  // false when the project has no definition for the key
  MetricKind kind = MetricKind::kConversion;
  stats::Direction direction = stats::Direction::kHigherIsBetter;
  double percentile = 0;                       // kPercentile only
  bool cuped_applied = false;                  // for at least one comparison
  std::vector<VariantEstimate> variants;       // experiment order, control first
  std::vector<VariantComparison> comparisons;  // one per treatment
};

struct VariantSummary {
  std::string key;
  double split = 0;
  std::int64_t exposures = 0;
  bool minimum_sample_reached = false;
};

inline constexpr double kMultipleExposureThreshold = 0.01;  // share of exposed users

struct HealthChecks {
  stats::SrmResult srm;
  std::int64_t multiple_exposure_users = 0;
  double multiple_exposure_share = 0;       // of all exposed users, those in more than one variant
  bool multiple_exposures_invalid = false;  // share > kMultipleExposureThreshold
  std::int64_t minimum_sample_per_variant = 0;
  bool minimum_sample_reached = false;  // in every variant
  double days_running = 0;
  int planned_duration_days = 0;
  bool planned_duration_reached = false;
};

enum class Decision { kKeepRunning, kShip, kStopNoEffect, kStopGuardrail, kInvalid };

struct Verdict {
  Decision decision = Decision::kKeepRunning;
  std::string variant;               // kShip: the variant to ship (control when every treatment is worse)
  std::vector<std::string> reasons;  // plain words, most important first
  // The primary metric's headline: the shipped variant, else the treatment doing best.
  std::string primary_metric;
  std::string primary_variant;
  bool is_significant = false;
  std::optional<double> improvement;  // that treatment's lift on the primary metric
  std::optional<stats::Interval> improvement_ci;
};

// A point of a chart: an estimate with its interval, absent while it cannot be computed.
struct SeriesPoint {
  bool available = false;
  double value = 0;
  stats::Interval ci;
};

struct VariantSeries {
  std::string variant;
  std::vector<SeriesPoint> points;  // one per TimeSeries::hour_start_ms
};

struct MetricSeries {
  std::string key;
  std::vector<VariantSeries> values;  // every variant's cumulative value
  std::vector<VariantSeries> lifts;   // every treatment's cumulative lift against control
};

// Cumulative results as they stood at the end of each hour (thinned to at most kMaxSeriesPoints,
// always keeping the last hour).
inline constexpr std::size_t kMaxSeriesPoints = 200;
struct TimeSeries {
  std::vector<std::int64_t> hour_start_ms;
  std::vector<std::vector<std::int64_t>> exposures;  // per variant (experiment order), per point
  std::vector<MetricSeries> metrics;
};

struct ExperimentResults {
  std::string experiment_key;
  std::string status;  // StatusName
  std::int64_t computed_at_ms = 0;
  AnalysisSettings analysis;
  std::vector<VariantSummary> variants;  // control first
  std::vector<MetricResult> metrics;     // primary, secondaries, guardrails
  HealthChecks health;
  Verdict verdict;
  TimeSeries timeseries;
};

}  // namespace switchyard::experiments
