// Interim, until the experiment service (issue 7 item 3) publishes experiments to the
// ExperimentDirectory: the `experiments_seed_file` setting names a JSON file of experiments to
// publish as collecting data at start, so aggregation can run (and be tested end to end) on its
// own. The form:
//   [{"project": "default", "environment": "production", "key": "exp", "flag_key": "flag",
//     "variants": ["control", "test"], "primary_metric": "m", "secondary_metrics": [],
//     "guardrail_metrics": [], "status": "running" | "paused", "cuped_lookback_days": 14}]
#pragma once

#include <string>
#include <vector>

#include "experiments/experiment_directory.h"
#include "store/store.h"

namespace switchyard::server {

Result<std::vector<experiments::ActiveExperiment>> LoadExperimentSeed(const std::string& path,
                                                                      store::Store& store);

}  // namespace switchyard::server
