// MemoryStore: experiments and the project holdout, under the same lock as everything else.
#include "store/experiment_records.h"
#include "store/memory_store.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {

using experiments::Experiment;

Result<ExperimentRecord> MemoryStore::CreateExperiment(std::int64_t project_id, const Experiment& input,
                                                       const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  Result<Experiment> canonical = CanonicalExperiment(input, 1);
  if (!canonical.ok()) return canonical.status();
  if (state->experiments.contains(input.key)) return ExperimentExists(input.key);
  ExperimentRecord record{project_id, std::move(*canonical), NowTimestamp(), "", actor.name};
  record.updated_at = record.created_at;
  state->experiments[input.key] = record;
  AppendAudit(project_id, actor, "experiment.create", "experiment", input.key, nullptr,
              ExperimentAuditJson(record.experiment));
  return record;
}

Result<ExperimentRecord> MemoryStore::UpdateExperiment(std::int64_t project_id, const Experiment& input,
                                                       std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->experiments.find(input.key);
  if (it == state->experiments.end()) return ExperimentNotFound(input.key);
  ExperimentRecord& record = it->second;
  if (record.experiment.version != expected_version)
    return VersionConflict("experiment", input.key, record.experiment.version, expected_version);
  Result<Experiment> canonical = CanonicalExperiment(input, expected_version + 1);
  if (!canonical.ok()) return canonical.status();
  const Experiment before = record.experiment;
  record.experiment = std::move(*canonical);
  record.updated_at = NowTimestamp();
  record.updated_by = actor.name;
  AppendAudit(project_id, actor, ExperimentUpdateAction(before, record.experiment), "experiment", input.key,
              ExperimentAuditJson(before), ExperimentAuditJson(record.experiment));
  return record;
}

Status MemoryStore::DeleteExperiment(std::int64_t project_id, const std::string& key,
                                     std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->experiments.find(key);
  if (it == state->experiments.end()) return ExperimentNotFound(key);
  const std::int64_t current = it->second.experiment.version;
  if (current != expected_version) return VersionConflict("experiment", key, current, expected_version);
  AppendAudit(project_id, actor, "experiment.delete", "experiment", key,
              ExperimentAuditJson(it->second.experiment), nullptr);
  state->experiments.erase(it);
  return Status::Ok();
}

Result<ExperimentRecord> MemoryStore::GetExperiment(std::int64_t project_id, const std::string& key) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ExperimentNotFound(key);
  auto it = state->experiments.find(key);
  if (it == state->experiments.end()) return ExperimentNotFound(key);
  return it->second;
}

Result<std::vector<ExperimentRecord>> MemoryStore::ListExperiments(std::int64_t project_id) {
  ReaderLock lock(mu_);
  std::vector<ExperimentRecord> out;
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return out;
  for (const auto& [key, record] : state->experiments) out.push_back(record);
  return out;
}

Result<double> MemoryStore::GetExperimentHoldout(std::int64_t project_id) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  return state->experiment_holdout_percent;
}

Status MemoryStore::SetExperimentHoldout(std::int64_t project_id, double percent, const Actor& actor) {
  if (Status s = ValidateHoldoutPercent(percent); !s.ok()) return s;
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  const double before = state->experiment_holdout_percent;
  state->experiment_holdout_percent = percent;
  AppendAudit(project_id, actor, "project.holdout", "project", state->project.slug, HoldoutAuditJson(before),
              HoldoutAuditJson(percent));
  return Status::Ok();
}

}  // namespace switchyard::store
