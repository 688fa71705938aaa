#include "experiments/experiment_directory.h"

namespace switchyard::experiments {

ExperimentSnapshot::ExperimentSnapshot(std::vector<ActiveExperiment> experiments)
    : experiments_(std::move(experiments)) {
  for (std::size_t i = 0; i < experiments_.size(); ++i) {
    const auto& active = experiments_[i];
    by_flag_.emplace(std::make_pair(active.environment_id, active.experiment.flag_key), i);
    by_key_.emplace(std::make_pair(active.project_id, active.experiment.key), i);
  }
}

const ActiveExperiment* ExperimentSnapshot::ByFlag(std::int64_t environment_id,
                                                   const std::string& flag_key) const {
  auto it = by_flag_.find({environment_id, flag_key});
  return it == by_flag_.end() ? nullptr : &experiments_[it->second];
}

const ActiveExperiment* ExperimentSnapshot::ByKey(std::int64_t project_id,
                                                  const std::string& experiment_key) const {
  auto it = by_key_.find({project_id, experiment_key});
  return it == by_key_.end() ? nullptr : &experiments_[it->second];
}

}  // namespace switchyard::experiments
