#include "experiments/experiment.h"

namespace switchyard::experiments {

const char* StatusName(ExperimentStatus status) {
  switch (status) {
    case ExperimentStatus::kDraft: return "draft";
    case ExperimentStatus::kRunning: return "running";
    case ExperimentStatus::kPaused: return "paused";
    case ExperimentStatus::kStopped: return "stopped";
  }
  return "draft";
}

}  // namespace switchyard::experiments
