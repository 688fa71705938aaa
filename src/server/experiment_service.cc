#include "server/experiment_service.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "store/timestamp.h"

namespace switchyard::server {
namespace {

using experiments::ActiveExperiment;
using experiments::Experiment;
using experiments::ExperimentStatus;

bool Collecting(const Experiment& e) {
  return e.status == ExperimentStatus::kRunning || e.status == ExperimentStatus::kPaused;
}

Status WrongStatus(const Experiment& e, const std::string& action, const std::string& allowed) {
  return Status::Conflict("cannot " + action + " experiment '" + e.key + "': it is " +
                              experiments::StatusName(e.status) + " (" + action + " needs " + allowed + ")",
                          "status");
}

std::vector<Variant> FlagVariants(const Experiment& e) {
  std::vector<Variant> variants;
  for (const auto& v : e.variants) variants.push_back(Variant{v.key, v.key, v.split});
  return variants;
}

// Payloads of variants that still exist.
std::map<std::string, nlohmann::json> KeptPayloads(const std::vector<Variant>& variants,
                                                   const FlagTargeting& current) {
  std::map<std::string, nlohmann::json> kept;
  for (const auto& entry : current.payloads) {
    const std::string& key = entry.first;  // not a structured binding: clang 14 cannot capture one
    if (std::any_of(variants.begin(), variants.end(), [&key](const Variant& v) { return v.key == key; }))
      kept[key] = entry.second;
  }
  return kept;
}

FlagTargeting Off(FlagTargeting targeting) {
  targeting.active = false;
  return targeting;
}

FlagTargeting TargetingIn(const store::FlagRecord& record, const std::string& environment) {
  auto it = record.environments.find(environment);
  return it == record.environments.end() ? FlagTargeting{} : it->second;
}

// A core error on the probe flag, named as the experiment's field.
Status AsConditionsError(const Status& s) {
  std::string field = s.field();
  const std::string prefix = "filters.groups[0].properties";
  if (field.rfind(prefix, 0) == 0) field = "conditions" + field.substr(prefix.size());
  std::string message = s.message();
  for (std::size_t at = message.find(prefix); at != std::string::npos; at = message.find(prefix))
    message.replace(at, prefix.size(), "conditions");
  return Status(s.code(), message, field.empty() ? "conditions" : field);
}

}  // namespace

FlagTargeting RunningTargeting(const Experiment& e, const FlagTargeting& current) {
  FlagTargeting targeting;
  targeting.active = true;
  targeting.variants = FlagVariants(e);
  ConditionGroup group;
  group.properties = e.conditions;
  group.rollout_percentage = e.layer.empty() ? e.traffic_percent : 100.0;
  targeting.groups.push_back(std::move(group));
  targeting.payloads = KeptPayloads(targeting.variants, current);
  return targeting;
}

FlagTargeting ShippedTargeting(const Experiment& e, const std::string& variant,
                               const FlagTargeting& current) {
  FlagTargeting targeting;
  targeting.active = true;
  targeting.variants = FlagVariants(e);
  for (Variant& v : targeting.variants) v.rollout_percentage = v.key == variant ? 100 : 0;
  ConditionGroup everyone;
  everyone.rollout_percentage = 100;
  targeting.groups.push_back(std::move(everyone));
  targeting.payloads = KeptPayloads(targeting.variants, current);
  return targeting;
}

Status ExperimentService::Load() {
  std::lock_guard lock(mu_);
  return PublishLocked();
}

Status ExperimentService::PublishLocked() {
  auto projects = store_.ListProjects();
  if (!projects.ok()) return projects.status();
  std::vector<ActiveExperiment> active;
  for (const store::Project& project : *projects) {
    auto experiments = store_.ListExperiments(project.id);
    if (!experiments.ok()) return experiments.status();
    if (std::none_of(experiments->begin(), experiments->end(),
                     [](const store::ExperimentRecord& r) { return Collecting(r.experiment); })) {
      continue;
    }
    auto environments = store_.ListEnvironments(project.id);
    if (!environments.ok()) return environments.status();
    auto holdout = store_.GetExperimentHoldout(project.id);
    if (!holdout.ok()) return holdout.status();
    for (store::ExperimentRecord& record : *experiments) {
      if (!Collecting(record.experiment)) continue;
      auto env = std::find_if(environments->begin(), environments->end(), [&](const store::Environment& e) {
        return e.key == record.experiment.environment;
      });
      if (env == environments->end()) continue;  // its environment is gone: nothing evaluates there
      active.push_back(ActiveExperiment{project.id, env->id, std::move(record.experiment), *holdout});
    }
  }
  directory_.Publish(std::move(active));
  return Status::Ok();
}

Result<store::ExperimentRecord> ExperimentService::Current(std::int64_t project_id, const std::string& key,
                                                           std::optional<std::int64_t> expected_version) {
  auto record = store_.GetExperiment(project_id, key);
  if (!record.ok()) return record.status();
  if (expected_version && *expected_version != record->experiment.version) {
    return Status::Conflict("experiment '" + key + "' is at version " +
                                std::to_string(record->experiment.version) + ", not " +
                                std::to_string(*expected_version) + "; read it again and retry",
                            "version");
  }
  return record;
}

Status ExperimentService::CheckReferences(const store::Project& project, const Experiment& e,
                                          bool creating_flag) {
  auto environments = store_.ListEnvironments(project.id);
  if (!environments.ok()) return environments.status();
  auto env = std::find_if(environments->begin(), environments->end(),
                          [&](const store::Environment& each) { return each.key == e.environment; });
  if (env == environments->end()) {
    std::string keys;
    for (const auto& each : *environments) keys += (keys.empty() ? "" : ", ") + each.key;
    return Status::InvalidArgument("environment '" + e.environment + "' does not exist in project " +
                                       project.slug + " (it has " + keys + ")",
                                   "environment");
  }
  auto flag = store_.GetFlag(project.id, e.flag_key);
  if (creating_flag && flag.ok()) {
    return Status::Conflict(
        "a flag '" + e.flag_key + "' already exists; name it in flag_key to run the experiment on it",
        "flag_key");
  }
  if (!creating_flag && !flag.ok()) {
    if (flag.status().code() != StatusCode::kNotFound) return flag.status();
    return Status::InvalidArgument("flag '" + e.flag_key + "' does not exist", "flag_key");
  }
  auto others = store_.ListExperiments(project.id);
  if (!others.ok()) return others.status();
  for (const store::ExperimentRecord& other : *others) {
    if (other.experiment.key == e.key || other.experiment.flag_key != e.flag_key) continue;
    if (other.experiment.status == ExperimentStatus::kStopped) continue;
    return Status::Conflict("flag '" + e.flag_key + "' belongs to experiment '" + other.experiment.key +
                                "', which is " + experiments::StatusName(other.experiment.status),
                            "flag_key");
  }
  // The conditions must compile where they will run: checked on a probe of the flag, against
  // the environment's published snapshot (cohorts and prerequisite flags resolve there).
  Flag probe;
  probe.key = e.flag_key;
  if (flag.ok()) probe = flag->In(e.environment);
  probe = WithTargeting(std::move(probe), RunningTargeting(e, {}));
  FlagSet::Change change;
  change.upsert_flag = std::move(probe);
  auto compiled = snapshots_.Get(env->id)->With(change);
  if (!compiled.ok()) return AsConditionsError(compiled.status());
  return Status::Ok();
}

Status ExperimentService::WriteFlag(const store::Project& project, const Experiment& e,
                                    const FlagTargeting& targeting, const store::Actor& actor) {
  store::Actor in_environment = actor;
  in_environment.environment = e.environment;
  auto change = [&](store::FlagRecord& record, const std::vector<store::Environment>&) {
    record.environments[e.environment] = targeting;
    return Status::Ok();
  };
  auto written = flags_.Update(project.id, e.flag_key, std::nullopt, change, in_environment);
  if (!written.ok()) {
    return Status(written.status().code(),
                  "cannot set flag '" + e.flag_key + "' for the experiment: " + written.status().message(),
                  written.status().code() == StatusCode::kNotFound ? "flag_key" : written.status().field());
  }
  return Status::Ok();
}

Status ExperimentService::AssignLayerSlice(std::int64_t project_id, Experiment& e) {
  auto others = store_.ListExperiments(project_id);
  if (!others.ok()) return others.status();
  std::vector<std::pair<double, double>> taken;
  for (const store::ExperimentRecord& other : *others) {
    const Experiment& o = other.experiment;
    if (o.key != e.key && o.layer == e.layer && Collecting(o)) taken.emplace_back(o.layer_from, o.layer_to);
  }
  std::sort(taken.begin(), taken.end());
  double from = 0;
  for (const auto& [start, end] : taken) {
    if (start - from >= e.traffic_percent - 1e-9) break;
    from = std::max(from, end);
  }
  if (from + e.traffic_percent > 100 + 1e-9) {
    return Status::Conflict("layer '" + e.layer + "' has no free slice of " +
                                std::to_string(e.traffic_percent) +
                                "% (its running and paused experiments hold the rest); stop one or lower "
                                "traffic_percent",
                            "traffic_percent");
  }
  e.layer_from = from;
  e.layer_to = std::min(100.0, from + e.traffic_percent);
  return Status::Ok();
}

Result<store::ExperimentRecord> ExperimentService::Write(const store::Project& project, const Experiment& e,
                                                         std::int64_t expected_version,
                                                         const store::Actor& actor) {
  auto written = store_.UpdateExperiment(project.id, e, expected_version, actor);
  if (!written.ok()) return written.status();
  if (Status s = PublishLocked(); !s.ok()) {
    return Status::Internal("the experiment was saved but could not be published to evaluation: " +
                            s.ToString() + "; retry any experiment change to publish again");
  }
  return written;
}

Result<store::ExperimentRecord> ExperimentService::Create(const store::Project& project, Experiment e,
                                                          const store::Actor& actor) {
  e.status = ExperimentStatus::kDraft;
  e.started_at.clear();
  e.stopped_at.clear();
  e.shipped_variant.clear();
  e.layer_from = e.layer_to = 0;
  const bool create_flag = e.flag_key.empty();
  if (create_flag) e.flag_key = e.key;
  if (Status s = experiments::ValidateExperiment(e); !s.ok()) return s;
  std::lock_guard lock(mu_);
  if (auto existing = store_.GetExperiment(project.id, e.key); existing.ok())
    return Status::AlreadyExists("experiment '" + e.key + "' exists", "key");
  if (Status s = CheckReferences(project, e, create_flag); !s.ok()) return s;
  if (create_flag) {
    auto build = [&](store::FlagRecord& record, const std::vector<store::Environment>& environments) {
      record.flag.key = e.flag_key;
      record.flag.name = e.name.empty() ? e.key : e.name;
      record.flag.description = "Experiment " + e.key + (e.hypothesis.empty() ? "" : ": " + e.hypothesis);
      record.flag.tags = {"experiment"};
      for (const store::Environment& env : environments) {
        FlagTargeting off;
        off.variants = FlagVariants(e);
        record.environments[env.key] = off;
      }
      return Status::Ok();
    };
    auto flag = flags_.Create(project.id, build, actor);
    if (!flag.ok()) return flag.status();
  }
  auto created = store_.CreateExperiment(project.id, e, actor);
  if (!created.ok() && create_flag) {
    (void)flags_.Delete(project.id, e.flag_key, std::nullopt, actor);  // best effort: undo the flag
  }
  return created;
}

Result<store::ExperimentRecord> ExperimentService::Replace(const store::Project& project, Experiment e,
                                                           std::int64_t expected_version, bool force,
                                                           const store::Actor& actor) {
  std::lock_guard lock(mu_);
  auto current = Current(project.id, e.key, expected_version);
  if (!current.ok()) return current.status();
  const Experiment& before = current->experiment;
  if (e.flag_key.empty()) e.flag_key = before.flag_key;
  // State is the service's, never the body's.
  e.status = before.status;
  e.started_at = before.started_at;
  e.stopped_at = before.stopped_at;
  e.shipped_variant = before.shipped_variant;
  e.layer_from = before.layer_from;
  e.layer_to = before.layer_to;
  if (Status s = experiments::ValidateExperiment(e); !s.ok()) return s;
  if (before.status != ExperimentStatus::kDraft) {
    for (const auto& [field, same] : {std::pair{"environment", e.environment == before.environment},
                                      std::pair{"flag_key", e.flag_key == before.flag_key},
                                      std::pair{"layer", e.layer == before.layer}}) {
      if (!same) {
        return Status::Conflict(std::string(field) +
                                    " can change only while the experiment is a draft (it is " +
                                    experiments::StatusName(before.status) + ")",
                                field);
      }
    }
  }
  if (Collecting(before)) {
    if (e.variants != before.variants && !force) {
      return Status::Conflict(
          "changing the variants or splits of a " + std::string(experiments::StatusName(before.status)) +
              " experiment reshuffles users between variants and mixes their data; send ?force=true to do it "
              "anyway",
          "variants");
    }
    if (!e.layer.empty() && e.traffic_percent != before.traffic_percent) {
      return Status::Conflict(
          "traffic_percent of an experiment in a layer is its slice, fixed when it started; stop it and "
          "start a new one to change it",
          "traffic_percent");
    }
  }
  if (Status s = CheckReferences(project, e, false); !s.ok()) return s;
  if (e.status == ExperimentStatus::kRunning) {
    auto flag = store_.GetFlag(project.id, e.flag_key);
    if (!flag.ok()) return flag.status();
    if (Status s = WriteFlag(project, e, RunningTargeting(e, TargetingIn(*flag, e.environment)), actor);
        !s.ok())
      return s;
  }
  return Write(project, e, expected_version, actor);
}

Status ExperimentService::Delete(const store::Project& project, const std::string& key,
                                 std::optional<std::int64_t> expected_version, const store::Actor& actor) {
  std::lock_guard lock(mu_);
  auto current = Current(project.id, key, expected_version);
  if (!current.ok()) return current.status();
  if (Collecting(current->experiment))
    return WrongStatus(current->experiment, "delete", "draft or stopped: stop it first");
  Status s = store_.DeleteExperiment(project.id, key, current->experiment.version, actor);
  if (!s.ok()) return s;
  return PublishLocked();
}

Result<store::ExperimentRecord> ExperimentService::Start(const store::Project& project,
                                                         const std::string& key,
                                                         std::optional<std::int64_t> expected_version,
                                                         const store::Actor& actor) {
  std::lock_guard lock(mu_);
  auto current = Current(project.id, key, expected_version);
  if (!current.ok()) return current.status();
  Experiment e = current->experiment;
  if (e.status != ExperimentStatus::kDraft && e.status != ExperimentStatus::kPaused)
    return WrongStatus(e, "start", "draft or paused");
  if (Status s = CheckReferences(project, e, false); !s.ok()) return s;
  if (e.status == ExperimentStatus::kDraft) {
    if (!e.layer.empty()) {
      if (Status s = AssignLayerSlice(project.id, e); !s.ok()) return s;
    }
    e.started_at = store::NowTimestamp();
  }
  e.status = ExperimentStatus::kRunning;
  auto flag = store_.GetFlag(project.id, e.flag_key);
  if (!flag.ok()) return flag.status();
  if (Status s = WriteFlag(project, e, RunningTargeting(e, TargetingIn(*flag, e.environment)), actor);
      !s.ok())
    return s;
  return Write(project, e, current->experiment.version, actor);
}

Status ExperimentService::TurnFlagOff(const store::Project& project, const Experiment& experiment,
                                      const store::Actor& actor) {
  auto flag = store_.GetFlag(project.id, experiment.flag_key);
  if (!flag.ok()) return Status::Ok();
  return WriteFlag(project, experiment, Off(TargetingIn(*flag, experiment.environment)), actor);
}

Result<store::ExperimentRecord> ExperimentService::Pause(const store::Project& project,
                                                         const std::string& key,
                                                         std::optional<std::int64_t> expected_version,
                                                         const store::Actor& actor) {
  std::lock_guard lock(mu_);
  auto current = Current(project.id, key, expected_version);
  if (!current.ok()) return current.status();
  Experiment e = current->experiment;
  if (e.status != ExperimentStatus::kRunning) return WrongStatus(e, "pause", "running");
  e.status = ExperimentStatus::kPaused;
  if (Status s = TurnFlagOff(project, e, actor); !s.ok()) return s;
  return Write(project, e, current->experiment.version, actor);
}

Result<store::ExperimentRecord> ExperimentService::Stop(const store::Project& project, const std::string& key,
                                                        std::optional<std::int64_t> expected_version,
                                                        const store::Actor& actor) {
  std::lock_guard lock(mu_);
  auto current = Current(project.id, key, expected_version);
  if (!current.ok()) return current.status();
  Experiment e = current->experiment;
  if (!Collecting(e)) return WrongStatus(e, "stop", "running or paused");
  e.status = ExperimentStatus::kStopped;
  e.stopped_at = store::NowTimestamp();
  if (Status s = TurnFlagOff(project, e, actor); !s.ok()) return s;  // the experiment stops anyway
  return Write(project, e, current->experiment.version, actor);
}

Result<store::ExperimentRecord> ExperimentService::Ship(const store::Project& project, const std::string& key,
                                                        const std::string& variant,
                                                        std::optional<std::int64_t> expected_version,
                                                        const store::Actor& actor) {
  std::lock_guard lock(mu_);
  auto current = Current(project.id, key, expected_version);
  if (!current.ok()) return current.status();
  Experiment e = current->experiment;
  if (e.status == ExperimentStatus::kDraft) return WrongStatus(e, "ship", "running, paused or stopped");
  if (std::none_of(e.variants.begin(), e.variants.end(),
                   [&](const experiments::ExperimentVariant& v) { return v.key == variant; })) {
    std::string keys;
    for (const auto& v : e.variants) keys += (keys.empty() ? "" : ", ") + v.key;
    return Status::InvalidArgument("variant '" + variant + "' is not one of the experiment's (" + keys + ")",
                                   "variant");
  }
  auto flag = store_.GetFlag(project.id, e.flag_key);
  if (!flag.ok()) {
    if (flag.status().code() == StatusCode::kNotFound)
      return Status::Conflict("flag '" + e.flag_key + "' no longer exists: there is nothing to ship",
                              "flag_key");
    return flag.status();
  }
  if (Status s =
          WriteFlag(project, e, ShippedTargeting(e, variant, TargetingIn(*flag, e.environment)), actor);
      !s.ok())
    return s;
  if (e.stopped_at.empty()) e.stopped_at = store::NowTimestamp();
  e.status = ExperimentStatus::kStopped;
  e.shipped_variant = variant;
  return Write(project, e, current->experiment.version, actor);
}

Status ExperimentService::SetHoldout(const store::Project& project, double percent,
                                     const store::Actor& actor) {
  std::lock_guard lock(mu_);
  if (Status s = store_.SetExperimentHoldout(project.id, percent, actor); !s.ok()) return s;
  return PublishLocked();
}

}  // namespace switchyard::server
