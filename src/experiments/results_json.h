// ResultsToJson: ExperimentResults as GET /api/v1/projects/{project}/experiments/{key}/results
// answers it and the CLI renders it (the shape is documented in docs/API.md, "Experiment
// results"). Numbers that cannot be computed are null, never NaN; absent things have the same
// keys with null values, so clients need no per-method cases.
#pragma once

#include <nlohmann/json.hpp>

#include "experiments/experiment_results.h"

namespace switchyard::experiments {

nlohmann::json ResultsToJson(const ExperimentResults& results);

const char* MetricRoleName(MetricRole role);  // "primary", "secondary", "guardrail"

}  // namespace switchyard::experiments
