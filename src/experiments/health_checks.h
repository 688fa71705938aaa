// The health checks that decide whether an experiment's numbers can be trusted at all, and how
// far along it is:
//   - sample-ratio mismatch: Pearson χ² of the exposures against the configured split
//     (stats::SampleRatioMismatch); p < 0.001 makes the results invalid;
//   - multiple exposures: users seen in more than one variant (excluded from every sum) as a
//     share of all exposed users; over 1 % (kMultipleExposureThreshold) makes them invalid, since
//     exclusion that large biases the variants against each other;
//   - minimum sample: every variant has at least minimum_sample_per_variant exposures;
//   - duration: days since started_at (until stopped_at once stopped; the first exposure when
//     started_at is missing) against planned_duration_days.
#pragma once

#include <cstdint>
#include <vector>

#include "experiments/experiment.h"
#include "experiments/experiment_results.h"

namespace switchyard::experiments {

HealthChecks CheckHealth(const Experiment& experiment, const std::vector<VariantSummary>& variants,
                         std::int64_t multiple_exposure_users, std::int64_t first_exposure_ms,
                         std::int64_t now_ms);

}  // namespace switchyard::experiments
