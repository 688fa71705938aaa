// ExperimentDirectory: the experiments that are collecting data (running or paused), as an
// immutable snapshot readers take without locks. The experiment service publishes a new snapshot
// after every change (and at start-up); exposure recording and the aggregator read it on their
// hot paths.
//
// Thread-safety: Publish and Current from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "experiments/experiment.h"

namespace switchyard::experiments {

struct ActiveExperiment {
  std::int64_t project_id = 0;
  std::int64_t environment_id = 0;
  Experiment experiment;
  // The project's holdout (percent of its users kept out of every experiment), copied here so
  // that evaluation needs no other lookup.
  double holdout_percent = 0;
};

class ExperimentSnapshot {
 public:
  explicit ExperimentSnapshot(std::vector<ActiveExperiment> experiments);

  const std::vector<ActiveExperiment>& all() const { return experiments_; }
  // The experiment using `flag_key` in that environment, or nullptr.
  const ActiveExperiment* ByFlag(std::int64_t environment_id, const std::string& flag_key) const;
  const ActiveExperiment* ByKey(std::int64_t project_id, const std::string& experiment_key) const;

 private:
  std::vector<ActiveExperiment> experiments_;
  std::map<std::pair<std::int64_t, std::string>, std::size_t> by_flag_;
  std::map<std::pair<std::int64_t, std::string>, std::size_t> by_key_;
};

class ExperimentDirectory {
 public:
  ExperimentDirectory()
      : current_(std::make_shared<const ExperimentSnapshot>(std::vector<ActiveExperiment>{})) {}

  void Publish(std::vector<ActiveExperiment> experiments) {
    auto next = std::make_shared<const ExperimentSnapshot>(std::move(experiments));
    std::lock_guard lock(mu_);
    current_ = std::move(next);
  }
  std::shared_ptr<const ExperimentSnapshot> Current() const {
    std::lock_guard lock(mu_);
    return current_;
  }

 private:
  mutable std::mutex mu_;  // held only to copy a pointer
  std::shared_ptr<const ExperimentSnapshot> current_;
};

}  // namespace switchyard::experiments
