// AnalyzeExperiment: an experiment's aggregate in, its results out (values, lifts, significance
// after the multiple-comparison correction, health checks, verdict, charts). Pure: no I/O, no
// clock (the caller passes `now_ms`), cost O(variants × metrics × chart points), never a scan of
// events.
//
// Significance: every treatment × metric comparison of the primary and secondary metrics that has
// a p-value (frequentist, sequential) forms one family, corrected with the experiment's
// correction (Holm by default, or Benjamini–Hochberg, or none); a comparison is significant when
// its adjusted p-value is below alpha. Guardrails are judged on their own, at alpha, unadjusted
// (a breach must not hide behind the number of metrics). The Bayesian method has no p-values:
// a comparison is significant when its 1 − α credible interval excludes 0, with no correction.
// Intervals are always the unadjusted ones of the method.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "experiments/experiment.h"
#include "experiments/experiment_aggregate.h"
#include "experiments/experiment_results.h"
#include "experiments/metric_definition.h"
#include "switchyard/status.h"

namespace switchyard::experiments {

// InvalidArgument (naming the field) for an experiment that cannot be analysed: fewer than two
// variants, or analysis settings the engine refuses (alpha, sequential_tuning, prior). Metrics
// without a definition in `metrics_by_key` are reported as undefined, not refused; aggregate
// variants the experiment does not have are ignored, and experiment variants the aggregate lacks
// have no data yet.
Result<ExperimentResults> AnalyzeExperiment(const Experiment& experiment,
                                            const std::map<std::string, MetricDefinition>& metrics_by_key,
                                            const ExperimentAggregate& aggregate, std::int64_t now_ms);

}  // namespace switchyard::experiments
