// JSON forms of the aggregate: MetricSums both ways (the aggregator's checkpoints store them), and
// a whole ExperimentAggregate for the read-only aggregate route. Sketches use
// QuantileSketch::ToJson; doubles print in shortest round-trip form, so a stored sum reads back
// bit for bit.
#pragma once

#include <nlohmann/json.hpp>

#include "experiments/experiment_aggregate.h"
#include "switchyard/status.h"

namespace switchyard::experiments {

nlohmann::json MetricSumsToJson(const MetricSums& sums);
// Corruption when a stored blob is not what MetricSumsToJson writes.
Result<MetricSums> MetricSumsFromJson(const nlohmann::json& json);

nlohmann::json ExperimentAggregateToJson(const ExperimentAggregate& aggregate);

}  // namespace switchyard::experiments
