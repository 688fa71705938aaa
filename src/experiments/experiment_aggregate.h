// ExperimentAggregate: everything the analysis of an experiment reads, as sufficient statistics
// kept at ingest time, so that computing results costs O(variants x metrics) and never scans
// events. The aggregator produces it; results, verdict, charts and reports consume it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "stats/quantile_sketch.h"

namespace switchyard::experiments {

// One metric in one variant over its units: the variant's exposed users (per-user metrics; users
// with no matching event count with value 0) or its events (per-event means, percentiles).
// Mergeable: Merge adds every field, which is how hourly points add up to a total.
struct MetricSums {
  double n = 0;
  double sum = 0;  // the value (a ratio's numerator), capped; conversions: users converted
  double sum_squares = 0;
  double denominator_sum = 0;  // ratio metrics
  double denominator_sum_squares = 0;
  double cross_sum = 0;  // Σ value·denominator
  // CUPED: the same metric per user over the lookback window before first exposure.
  double covariate_sum = 0;
  double covariate_sum_squares = 0;
  double covariate_cross_sum = 0;               // Σ value·covariate
  std::optional<stats::QuantileSketch> sketch;  // percentile metrics

  void Merge(const MetricSums& other);
};

// What changed in one hour (by event time, UTC hours): summing the points up to an hour gives the
// totals as they stood then, which is what "metric over time with its interval" charts draw.
struct HourlyPoint {
  std::int64_t hour_start_ms = 0;
  std::int64_t exposures = 0;
  std::map<std::string, MetricSums> metrics;  // by metric key
};

struct VariantAggregate {
  std::string variant;
  std::int64_t exposures = 0;  // users whose first exposure was to this variant (and only this one)
  std::map<std::string, MetricSums> metrics;  // by metric key
  std::vector<HourlyPoint> hourly;            // ascending hour_start_ms
};

struct ExperimentAggregate {
  std::string experiment_key;
  // Users exposed to more than one variant: a health check, and excluded from every sum above.
  std::int64_t multiple_exposure_users = 0;
  // Exposures of new users refused because the experiment already tracked the aggregator's
  // maximum number of users (see docs/DESIGN-NOTES.md): those users are in no sum.
  std::int64_t users_over_limit = 0;
  std::int64_t first_exposure_ms = 0;  // 0 before any exposure
  std::int64_t last_event_ms = 0;
  std::vector<VariantAggregate> variants;  // in the experiment's variant order
};

}  // namespace switchyard::experiments
