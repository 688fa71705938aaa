// ExperimentGate: the one place where evaluation learns about experiments. Every evaluation path
// of the server (evaluate, batch evaluate; PostHog /decide and OFREP later) passes its results
// through Apply, which, for each flag of a running or paused experiment in that environment:
//   - serves `false` (not in the experiment, reason out_of_rollout with a detail saying why) to a
//     user in the project holdout (PostHogHash("holdout:<project id>", bucketing id) < holdout %)
//     or, for an experiment in a layer, outside its slice [layer_from, layer_to) of the layer's
//     hash space (PostHogHash("layer:<layer>", bucketing id) in percent);
//   - records the user's first exposure when the experiment is running and a variant was served.
// The engine (src/core) stays free of experiments: the gate works on its results.
//
// Thread-safety: Apply from any thread (it reads an immutable directory snapshot).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "experiments/experiment_directory.h"
#include "server/exposure_recorder.h"
#include "switchyard/evaluation.h"
#include "switchyard/flag_set.h"

namespace switchyard::server {

// Where a user falls for an experiment: in it, or why not.
enum class Allocation { kIn, kHeldOut, kOutsideLayerSlice };

// The holdout and layer rules for one user (by the flag's bucketing id).
Allocation Allocate(const experiments::ActiveExperiment& active, std::string_view bucketing_id);

class ExperimentGate {
 public:
  // `exposures` may be null (nothing recorded).
  ExperimentGate(const experiments::ExperimentDirectory& directory, ExposureRecorder* exposures)
      : directory_(directory), exposures_(exposures) {}

  // Applies the rules above to `results`, evaluated in `environment_id` against `snapshot` for
  // `context`.
  void Apply(std::int64_t environment_id, const FlagSet& snapshot, const EvaluationContext& context,
             std::vector<FlagResult>& results) const;
  // The experiments it applies (the local-evaluation definitions mark their flags server-only).
  const experiments::ExperimentDirectory& directory() const { return directory_; }

 private:
  const experiments::ExperimentDirectory& directory_;
  ExposureRecorder* exposures_;
};

}  // namespace switchyard::server
