// The verdict: what to do with an experiment, from its analysed metrics and health checks, with
// reasons in plain words. The rules, applied in this order (the first that holds decides):
//
//   1. invalid         the sample-ratio mismatch test fails (p < 0.001), or more than 1 % of the
//                      exposed users saw more than one variant: the numbers cannot be trusted.
//   2. stop_guardrail  a guardrail metric is significantly worse (at alpha, unadjusted) for any
//                      treatment, whatever the sample: harm does not wait for the plan.
//   3. ship VARIANT    every variant reached its minimum sample, and the primary metric is
//                      significantly better (after the correction) for at least one treatment:
//                      ship the one with the largest improvement.
//      ship CONTROL    every variant reached its minimum sample, and every treatment is
//                      significantly worse on the primary metric: keep (roll back to) control.
//   4. stop_no_effect  the planned duration has passed and no treatment is significantly better on
//                      the primary metric (said: with or without the minimum sample reached).
//   5. keep_running    anything else (e.g. no primary metric, not significant yet, significant
//                      before the minimum sample), with what is still missing.
//
// `is_significant` and the improvement describe the primary metric for the shipped treatment,
// or else the treatment doing best on it.
#pragma once

#include "experiments/experiment_results.h"

namespace switchyard::experiments {

// Reads results.metrics, results.health, results.variants and results.analysis (not the verdict).
Verdict DecideVerdict(const ExperimentResults& results);

const char* DecisionName(Decision decision);  // "keep_running", "ship", "stop_no_effect", ...

}  // namespace switchyard::experiments
