#include "experiments/aggregation_engine.h"

#include <algorithm>

namespace switchyard::experiments {
namespace {

using nlohmann::json;

// The string member `name` of `properties`, or nullptr.
const std::string* StringMember(const json& properties, const char* name) {
  auto it = properties.find(name);
  return it != properties.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

std::vector<std::string> MetricKeysOf(const Experiment& experiment) {
  std::vector<std::string> keys;
  auto add = [&keys](const std::string& key) {
    if (!key.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  };
  add(experiment.primary_metric);
  for (const std::string& key : experiment.secondary_metrics) add(key);
  for (const std::string& key : experiment.guardrail_metrics) add(key);
  return keys;
}

bool IsCollecting(ExperimentStatus status) {
  return status == ExperimentStatus::kRunning || status == ExperimentStatus::kPaused;
}

}  // namespace

AggregationEngine::Project::Project(const AggregationLimits& limits)
    : recent(limits.max_recent_users_per_project, limits.max_recent_values_per_user,
             static_cast<std::int64_t>(limits.max_lookback_days) * kDayMs) {}

std::uint32_t AggregationEngine::Project::MetricId(const std::string& key) {
  auto [it, added] = metric_ids.emplace(key, static_cast<std::uint32_t>(metric_keys.size()));
  if (added) metric_keys.push_back(key);
  return it->second;
}

AggregationEngine::AggregationEngine(AggregationLimits limits, MetricSource metrics)
    : limits_(limits), metrics_(std::move(metrics)) {}

AggregationEngine::Project& AggregationEngine::ProjectFor(std::int64_t project_id) {
  auto it = projects_.find(project_id);
  if (it == projects_.end())
    it = projects_
             .emplace(std::piecewise_construct, std::forward_as_tuple(project_id),
                      std::forward_as_tuple(limits_))
             .first;
  return it->second;
}

void AggregationEngine::UseExperiments(std::shared_ptr<const ExperimentSnapshot> snapshot) {
  if (snapshot == snapshot_ && !metrics_stale_) return;
  snapshot_ = std::move(snapshot);
  Sync();
  metrics_stale_ = false;
}

void AggregationEngine::Sync() {
  std::map<std::int64_t, std::vector<MetricDefinition>> definitions;  // read once per project per sync
  for (auto& [id, project] : projects_) project.by_event.clear();
  collecting_ = false;
  if (!snapshot_) return;
  for (const ActiveExperiment& active : snapshot_->all()) {
    const Experiment& experiment = active.experiment;
    if (!IsCollecting(experiment.status)) continue;
    collecting_ = true;
    auto& state = states_[{active.project_id, experiment.key}];
    if (!state) {
      std::vector<std::string> variants;
      for (const ExperimentVariant& variant : experiment.variants) variants.push_back(variant.key);
      const int lookback = std::clamp(experiment.analysis.cuped_lookback_days, 0, limits_.max_lookback_days);
      state = std::make_unique<ExperimentState>(experiment.key, std::move(variants), lookback,
                                                limits_.max_users_per_experiment);
    }
    for (const ExperimentVariant& variant : experiment.variants)
      if (!state->VariantIndex(variant.key)) state->AddVariant(variant.key);
    for (const std::string& key : MetricKeysOf(experiment)) {
      if (state->MetricIndex(key)) continue;
      auto found = definitions.find(active.project_id);
      if (found == definitions.end())
        found = definitions.emplace(active.project_id, metrics_(active.project_id)).first;
      for (const MetricDefinition& definition : found->second)
        if (definition.key == key) state->AddMetric(definition);
    }
    Project& project = ProjectFor(active.project_id);
    for (std::size_t m = 0; m < state->metrics().size(); ++m) {
      const ExperimentMetric& metric = state->metrics()[m];
      const std::uint32_t id = project.MetricId(metric.definition->key);
      project.by_event[metric.definition->value.event].push_back(
          Target{state.get(), m, ValueSide::kValue, &metric.value, id});
      if (metric.denominator)
        project.by_event[metric.definition->denominator.event].push_back(
            Target{state.get(), m, ValueSide::kDenominator, &*metric.denominator, id});
    }
  }
}

void AggregationEngine::Apply(const events::Event& event) {
  ++counters_.events;
  newest_event_ms_ = std::max(newest_event_ms_, event.timestamp_ms);
  auto project_it = projects_.find(event.project_id);
  if (project_it == projects_.end()) return;
  Project& project = project_it->second;
  const bool exposure = event.event == kExperimentExposureEvent || event.event == kFeatureFlagCalledEvent;
  auto targets = project.by_event.find(event.event);
  if (!exposure && targets == project.by_event.end()) return;
  const json properties = json::parse(event.properties, nullptr, /*allow_exceptions=*/false);
  if (!properties.is_object()) return;
  if (exposure) Expose(event, properties, project);
  if (targets == project.by_event.end()) return;
  // Each metric side is buffered once, however many experiments read it.
  // Usually a handful of sides: a linear scan of a small vector beats a set's allocations.
  std::vector<std::pair<std::uint32_t, ValueSide>> buffered;
  for (const Target& target : targets->second) {
    const std::optional<double> value = target.reader->Read(properties);
    if (!value) continue;
    if (target.state->Add(event.distinct_id,
                          MetricValue{target.metric, target.side, *value, event.timestamp_ms}))
      ++counters_.values;
    const std::pair side{target.metric_id, target.side};
    if (std::find(buffered.begin(), buffered.end(), side) != buffered.end()) continue;
    buffered.push_back(side);
    project.recent.Add(event.distinct_id,
                       RecentValue{event.timestamp_ms, target.metric_id, target.side, *value});
  }
}

void AggregationEngine::Expose(const events::Event& event, const json& properties, Project& project) {
  const ActiveExperiment* active = nullptr;
  const std::string* variant = nullptr;
  if (event.event == kExperimentExposureEvent) {
    const std::string* key = StringMember(properties, "$experiment");
    variant = StringMember(properties, "$variant");
    if (key != nullptr && snapshot_) active = snapshot_->ByKey(event.project_id, *key);
  } else {
    const std::string* flag = StringMember(properties, "$feature_flag");
    variant = StringMember(properties, "$feature_flag_response");
    if (flag != nullptr && snapshot_) active = snapshot_->ByFlag(event.environment_id, *flag);
  }
  if (active == nullptr || variant == nullptr || active->project_id != event.project_id ||
      active->environment_id != event.environment_id ||
      active->experiment.status != ExperimentStatus::kRunning) {
    if (active != nullptr) ++counters_.ignored_exposures;
    return;
  }
  auto state_it = states_.find({event.project_id, active->experiment.key});
  if (state_it == states_.end()) return;
  ExperimentState& state = *state_it->second;
  const std::optional<std::size_t> index = state.VariantIndex(*variant);
  if (!index) {
    ++counters_.ignored_exposures;
    return;
  }
  std::vector<MetricValue> history;
  for (const RecentValue& value : project.recent.Get(event.distinct_id)) {
    if (auto metric = state.MetricIndex(project.metric_keys[value.metric]))
      history.push_back(MetricValue{*metric, value.side, value.value, value.timestamp_ms});
  }
  switch (state.Expose(event.distinct_id, *index, event.timestamp_ms, history)) {
    case ExposureOutcome::kFirst: ++counters_.first_exposures; break;
    case ExposureOutcome::kMultiple: ++counters_.multiple_exposures; break;
    case ExposureOutcome::kOverLimit: ++counters_.refused_exposures; break;
    case ExposureOutcome::kRepeat: break;
  }
}

Result<ExperimentAggregate> AggregationEngine::Aggregate(std::int64_t project_id,
                                                         const std::string& experiment_key) const {
  auto it = states_.find({project_id, experiment_key});
  if (it == states_.end())
    return Status::NotFound("no aggregate for experiment \"" + experiment_key + "\" (never running)", "key");
  return it->second->Aggregate();
}

std::size_t AggregationEngine::recent_users() const {
  std::size_t users = 0;
  for (const auto& [id, project] : projects_) users += project.recent.users();
  return users;
}

std::uint64_t AggregationEngine::recent_users_dropped() const {
  std::uint64_t dropped = 0;
  for (const auto& [id, project] : projects_) dropped += project.recent.dropped_users();
  return dropped;
}

EngineCheckpointRows AggregationEngine::TakeCheckpointRows() {
  EngineCheckpointRows rows;
  for (auto& [id, state] : states_) {
    if (!state->dirty()) continue;
    rows.experiments.push_back({id.first, state->TakeCheckpointRows(), id.second});
  }
  for (auto& [project_id, project_state] : projects_) {
    // A named reference: clang 14 (the CI's thread-safety build) cannot capture a structured binding.
    auto& project = project_state;
    project.recent.Sweep(newest_event_ms_);
    auto key_of = [&project](std::uint32_t metric) -> const std::string& {
      return project.metric_keys[metric];
    };
    for (auto& [user, values] : project.recent.TakeCheckpointRows(key_of))
      rows.recent.push_back({project_id, user, std::move(values)});
  }
  return rows;
}

Status AggregationEngine::RestoreExperiment(std::int64_t project_id, const std::string& header,
                                            const std::vector<std::pair<std::int64_t, std::string>>& hours,
                                            const std::vector<std::pair<std::string, std::string>>& users) {
  auto state = ExperimentState::Restore(header, hours, users, limits_.max_users_per_experiment);
  if (!state.ok()) return state.status();
  newest_event_ms_ = std::max(newest_event_ms_, (*state)->last_event_ms());
  const std::string key = (*state)->key();
  states_[{project_id, key}] = std::move(*state);
  snapshot_.reset();  // the index is rebuilt at the next UseExperiments
  return Status::Ok();
}

Status AggregationEngine::RestoreRecent(std::int64_t project_id, const std::string& user,
                                        const std::string& values) {
  Project& project = ProjectFor(project_id);
  return project.recent.Restore(user, values,
                                [&project](const std::string& key) { return project.MetricId(key); });
}

}  // namespace switchyard::experiments
