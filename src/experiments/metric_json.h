// MetricDefinition <-> JSON, the form of the metric routes, the CLI's --file and the stored
// definitions. Strict: an unknown member is refused with its path (as flags are), and so is a
// member the metric's kind does not use (a `percentile` on a conversion would otherwise be
// silently meaningless). Errors are InvalidArgument naming the offending field.
#pragma once

#include <nlohmann/json.hpp>

#include "experiments/metric_definition.h"
#include "switchyard/status.h"

namespace switchyard::experiments {

// The longest conversion window, in hours (a year).
inline constexpr int kMaxConversionWindowHours = 24 * 366;

Result<MetricDefinition> MetricFromJson(const nlohmann::json& json);
// Only the members the kind uses, so that GET -> edit -> PUT goes through MetricFromJson.
nlohmann::json MetricToJson(const MetricDefinition& metric);

// A definition built in code (the built-in metrics, a decoded store row) checked as an API input
// would be.
Status ValidateMetric(const MetricDefinition& metric);

const char* MetricKindName(MetricKind kind);  // "conversion", "mean", "sum", "ratio", "percentile"
// True for the kinds whose value is one number per user (conversion, sum, per-user mean, ratio).
bool IsPerUser(const MetricDefinition& metric);

}  // namespace switchyard::experiments
