// ExperimentService: every change to a project's experiments goes through here, and the flag
// follows the experiment in the experiment's environment (through FlagService, so the change is
// validated, versioned, audited and published like any flag write):
//   draft              the flag is not touched
//   start (running)    active; the experiment's variants and splits; one condition group with its
//                      conditions and rollout = traffic_percent (100 in a layer, where the layer
//                      slice, of size traffic_percent, already is the traffic allocation)
//   pause, stop        off (everyone gets the default)
//   ship V             active; V at 100 %, one group without conditions or traffic limit
// After every change (and at start-up, Load) the running and paused experiments of every project
// are published to the ExperimentDirectory, which evaluation (ExperimentGate) and the aggregator
// read.
//
// Writes are serialized by one mutex, so the checks (a flag used by one experiment only, free
// room in a layer) and the write see the same state. The flag is written before the experiment:
// if the experiment's write then fails, retrying the call rewrites the flag (no change) and the
// experiment. Thread-safety: every method from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "experiments/experiment.h"
#include "experiments/experiment_directory.h"
#include "experiments/experiment_json.h"
#include "server/flag_service.h"
#include "server/flag_snapshots.h"
#include "store/store.h"

namespace switchyard::server {

class ExperimentService {
 public:
  ExperimentService(store::Store& store, FlagService& flags, FlagSnapshots& snapshots,
                    experiments::ExperimentDirectory& directory)
      : store_(store), flags_(flags), snapshots_(snapshots), directory_(directory) {}

  // Publishes the directory from the store (server start).
  Status Load();

  // A draft. Without flag_key a multivariate flag named like the experiment is created (off in
  // every environment); with one, that flag must exist and belong to no other experiment that is
  // not stopped.
  Result<store::ExperimentRecord> Create(const store::Project& project, experiments::Experiment experiment,
                                         const store::Actor& actor);
  // Replaces the definition (state is kept). Environment, flag and layer change only in a draft;
  // variants or splits of a running or paused experiment only with `force` (Conflict otherwise:
  // it reshuffles users between variants).
  Result<store::ExperimentRecord> Replace(const store::Project& project, experiments::Experiment experiment,
                                          std::int64_t expected_version, bool force,
                                          const store::Actor& actor);
  // Only a draft or a stopped experiment (Conflict otherwise). Its flag stays.
  Status Delete(const store::Project& project, const std::string& key,
                std::optional<std::int64_t> expected_version, const store::Actor& actor);

  // Lifecycle moves; Conflict (field "status") from a status that does not allow them.
  Result<store::ExperimentRecord> Start(const store::Project& project, const std::string& key,
                                        std::optional<std::int64_t> expected_version,
                                        const store::Actor& actor);
  Result<store::ExperimentRecord> Pause(const store::Project& project, const std::string& key,
                                        std::optional<std::int64_t> expected_version,
                                        const store::Actor& actor);
  Result<store::ExperimentRecord> Stop(const store::Project& project, const std::string& key,
                                       std::optional<std::int64_t> expected_version,
                                       const store::Actor& actor);
  Result<store::ExperimentRecord> Ship(const store::Project& project, const std::string& key,
                                       const std::string& variant,
                                       std::optional<std::int64_t> expected_version,
                                       const store::Actor& actor);

  Status SetHoldout(const store::Project& project, double percent, const store::Actor& actor);

 private:
  using Experiment = experiments::Experiment;
  // The experiment at `expected_version` (when given).
  Result<store::ExperimentRecord> Current(std::int64_t project_id, const std::string& key,
                                          std::optional<std::int64_t> expected_version);
  // Environment exists, conditions compile there, the flag is free (or absent: to be created).
  Status CheckReferences(const store::Project& project, const Experiment& experiment, bool creating_flag);
  // Sets the flag's targeting in the experiment's environment.
  Status WriteFlag(const store::Project& project, const Experiment& experiment,
                   const FlagTargeting& targeting, const store::Actor& actor);
  // Turns the experiment's flag off in its environment; a deleted flag has nothing to turn off.
  Status TurnFlagOff(const store::Project& project, const Experiment& experiment, const store::Actor& actor);
  // The lowest free [from, to) of size traffic_percent in the experiment's layer.
  Status AssignLayerSlice(std::int64_t project_id, Experiment& experiment);
  Result<store::ExperimentRecord> Write(const store::Project& project, const Experiment& experiment,
                                        std::int64_t expected_version, const store::Actor& actor);
  Status PublishLocked();

  store::Store& store_;
  FlagService& flags_;
  FlagSnapshots& snapshots_;
  experiments::ExperimentDirectory& directory_;
  std::mutex mu_;
};

// The flag targeting that serves `experiment` while it runs, and once `variant` is shipped.
// `current` supplies payloads to keep.
FlagTargeting RunningTargeting(const experiments::Experiment& experiment, const FlagTargeting& current);
FlagTargeting ShippedTargeting(const experiments::Experiment& experiment, const std::string& variant,
                               const FlagTargeting& current);

}  // namespace switchyard::server
