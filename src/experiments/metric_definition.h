// MetricDefinition: what a metric measures, per project. Experiments name metrics by key; the
// aggregator turns matching events into MetricSums with it, and the analysis picks the test by
// kind. Pure data.
#pragma once

#include <string>
#include <vector>

#include "switchyard/flag.h"
#include "switchyard/stats.h"

namespace switchyard::experiments {

enum class MetricKind {
  kConversion,  // did the user do `event` within `conversion_window_hours` after first exposure (0/1 per
                // user)
  kMean,        // mean of `property` of `event`: per user (sum per user, averaged over users) or per event
  kSum,         // total of `property` per user (the mean of per-user sums; results show the mean)
  kRatio,       // Σ numerator / Σ denominator over users (delta method), e.g. cost per successful request
  kPercentile,  // the `percentile` of `property` over events (p50/p95/p99 of latency)
};

enum class MetricUnit { kUser, kEvent };

// What one side of a metric reads: events named `event` that pass `filters` (matched against the
// event's properties), valued by the numeric `property`, or counted (1 each) when `property` is
// empty. Booleans read as 1/0.
struct EventValue {
  std::string event;
  std::string property;
  std::vector<PropertyFilter> filters;

  bool operator==(const EventValue&) const = default;
};

struct MetricDefinition {
  std::string key;  // unique per project
  std::string name;
  std::string description;
  MetricKind kind = MetricKind::kConversion;
  EventValue value;        // conversion: the event; mean/sum/percentile: the value; ratio: numerator
  EventValue denominator;  // ratio only
  MetricUnit unit = MetricUnit::kUser;  // kMean only; percentiles are per event, the rest per user
  double percentile = 0.5;              // kPercentile: in (0, 1)
  int conversion_window_hours = 72;     // kConversion
  stats::Direction direction = stats::Direction::kHigherIsBetter;
  stats::Capping capping;  // applied to each value (per event) before it is summed
  bool builtin = false;    // one of the ready-made model-traffic metrics (read-only)

  bool operator==(const MetricDefinition&) const = default;
};

}  // namespace switchyard::experiments
