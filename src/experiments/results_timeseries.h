// Charts' data: each metric's results as they stood at the end of each hour, from the hourly
// points (summed up to that hour, so each point is the cumulative total then, computed exactly as
// the final results are: the same method, CUPED and intervals, without the correction).
// Hours are the union of the variants' hours, ascending; past kMaxSeriesPoints they are thinned to
// every k-th hour counted back from the last, so the last point always equals the totals.
#pragma once

#include <vector>

#include "experiments/experiment.h"
#include "experiments/experiment_aggregate.h"
#include "experiments/experiment_results.h"
#include "experiments/metric_definition.h"

namespace switchyard::experiments {

// `variants` is aligned with experiment.variants (nullptr: no data for that variant); `metrics`
// are the defined metrics to chart, each once.
TimeSeries BuildTimeSeries(const Experiment& experiment, const std::vector<const MetricDefinition*>& metrics,
                           const std::vector<const VariantAggregate*>& variants);

}  // namespace switchyard::experiments
