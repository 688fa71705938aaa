// AggregationEngine: attributes committed events to the experiments collecting data, and keeps
// each one's ExperimentState. Exposures: `$experiment_exposure` {"$experiment", "$variant"} and
// `$feature_flag_called` {"$feature_flag", "$feature_flag_response"} (the flag of an experiment
// running in that event's environment; the response is the variant key). An exposure counts
// only for a running experiment, from its own environment, to one of its variants. Metric
// events: any event named by a metric of such an experiment (running or paused); they count for
// users the experiment has exposed, whichever of the project's environments sent them.
//
// Everything is keyed by event time and applied in the log's order, so replaying the same events
// on a restored checkpoint gives the same state. Pure: no I/O (metric definitions come from a
// callback, events from the caller); not thread-safe (the server's ExperimentAggregator owns one
// behind a mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "events/event.h"
#include "experiments/experiment_directory.h"
#include "experiments/experiment_state.h"
#include "experiments/metric_definition.h"
#include "experiments/recent_values.h"

namespace switchyard::experiments {

inline constexpr char kExperimentExposureEvent[] = "$experiment_exposure";
inline constexpr char kFeatureFlagCalledEvent[] = "$feature_flag_called";

// The bounds on the engine's memory (docs/DESIGN-NOTES.md, "Experiment aggregation").
struct AggregationLimits {
  std::size_t max_users_per_experiment = 1'000'000;
  std::size_t max_recent_users_per_project = 100'000;
  std::size_t max_recent_values_per_user = 16;
  int max_lookback_days = 30;  // recent values older than this are dropped (caps cuped_lookback_days)
};

// What happened so far, for /metrics.
struct AggregationCounters {
  std::uint64_t events = 0;  // events looked at
  std::uint64_t values = 0;  // metric values counted for an exposed user
  std::uint64_t first_exposures = 0;
  std::uint64_t multiple_exposures = 0;
  std::uint64_t refused_exposures = 0;  // over max_users_per_experiment
  std::uint64_t ignored_exposures = 0;  // not running, other environment, unknown variant
};

struct EngineCheckpointRows {
  struct Experiment {
    std::int64_t project_id = 0;
    ExperimentCheckpointRows rows;
    std::string key;
  };
  struct Recent {
    std::int64_t project_id = 0;
    std::string user;
    std::optional<std::string> values;  // nullopt: delete
  };
  std::vector<Experiment> experiments;
  std::vector<Recent> recent;
};

class AggregationEngine {
 public:
  // A project's metric definitions (the store's and the built-in ones).
  using MetricSource = std::function<std::vector<MetricDefinition>(std::int64_t project_id)>;

  AggregationEngine(AggregationLimits limits, MetricSource metrics);

  // The experiments collecting data; cheap when `snapshot` is the one already in use.
  void UseExperiments(std::shared_ptr<const ExperimentSnapshot> snapshot);
  // Metric definitions changed: metrics an experiment names but that did not exist are looked up
  // again at the next UseExperiments.
  void InvalidateMetrics() { metrics_stale_ = true; }
  // False when no experiment collects (none running or paused): Apply would then change nothing
  // but the counters, so a follower of the log may skip events instead of reading them.
  bool collecting() const { return collecting_; }

  void Apply(const events::Event& event);

  // NotFound when the engine never saw the experiment (not in the directory, no checkpoint).
  Result<ExperimentAggregate> Aggregate(std::int64_t project_id, const std::string& experiment_key) const;

  const AggregationCounters& counters() const { return counters_; }
  std::size_t recent_users() const;
  std::uint64_t recent_users_dropped() const;

  // Checkpoints: what changed since the last call (and sweeps expired recent values first).
  EngineCheckpointRows TakeCheckpointRows();
  Status RestoreExperiment(std::int64_t project_id, const std::string& header,
                           const std::vector<std::pair<std::int64_t, std::string>>& hours,
                           const std::vector<std::pair<std::string, std::string>>& users);
  Status RestoreRecent(std::int64_t project_id, const std::string& user, const std::string& values);

 private:
  // An event name's consumer: one side of one metric of one experiment.
  struct Target {
    ExperimentState* state = nullptr;
    std::size_t metric = 0;
    ValueSide side = ValueSide::kValue;
    const EventValueReader* reader = nullptr;
    std::uint32_t metric_id = 0;  // the project's id of the metric key (RecentValues)
  };
  struct Project {
    explicit Project(const AggregationLimits& limits);
    RecentValues recent;
    std::unordered_map<std::string, std::vector<Target>> by_event;
    std::unordered_map<std::string, std::uint32_t> metric_ids;
    std::vector<std::string> metric_keys;
    std::uint32_t MetricId(const std::string& key);
  };
  using ExperimentId = std::pair<std::int64_t, std::string>;

  Project& ProjectFor(std::int64_t project_id);
  void Sync();
  void Expose(const events::Event& event, const nlohmann::json& properties, Project& project);

  AggregationLimits limits_;
  MetricSource metrics_;
  std::shared_ptr<const ExperimentSnapshot> snapshot_;
  bool metrics_stale_ = true;
  bool collecting_ = false;
  std::map<ExperimentId, std::unique_ptr<ExperimentState>> states_;
  std::map<std::int64_t, Project> projects_;
  std::int64_t newest_event_ms_ = 0;
  AggregationCounters counters_;
};

}  // namespace switchyard::experiments
