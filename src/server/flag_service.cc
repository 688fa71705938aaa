#include "server/flag_service.h"

#include <spdlog/spdlog.h>

#include "store/store_validation.h"

namespace switchyard::server {
namespace {

// `record` as the store would keep it, so that two records compare equal exactly when writing
// one over the other would change nothing.
Result<store::FlagRecord> Canonical(const store::FlagRecord& record,
                                    const std::vector<store::Environment>& environments) {
  std::vector<std::string> keys;
  for (const auto& environment : environments) keys.push_back(environment.key);
  return store::CanonicalFlagRecord(record, record.flag.version, keys);
}

// Each environment's definitions from the store with its change applied, built in full: the path
// for a project whose published snapshots cannot be trusted, so that a write can repair a broken
// one.
Status BuildFromStore(store::Store& store, std::int64_t project_id,
                      const std::vector<store::Environment>& environments,
                      const std::map<std::int64_t, FlagSet::Change>& changes) {
  auto flags = store.ListFlags(project_id, {});
  if (!flags.ok()) return flags.status();
  auto cohorts = store.ListCohorts(project_id);
  if (!cohorts.ok()) return cohorts.status();
  for (const store::Environment& environment : environments) {
    auto found = changes.find(environment.id);
    const FlagSet::Change change = found == changes.end() ? FlagSet::Change{} : found->second;
    std::vector<Flag> flag_list;
    for (const auto& record : *flags) {
      const std::string& key = record.flag.key;
      if (key == change.removed_flag || (change.upsert_flag && key == change.upsert_flag->key)) continue;
      flag_list.push_back(record.In(environment.key));
    }
    if (change.upsert_flag) flag_list.push_back(*change.upsert_flag);
    std::vector<Cohort> cohort_list;
    for (const auto& record : *cohorts) {
      const std::string& id = record.cohort.id;
      if (id == change.removed_cohort || (change.upsert_cohort && id == change.upsert_cohort->id)) continue;
      cohort_list.push_back(record.cohort);
    }
    if (change.upsert_cohort) cohort_list.push_back(*change.upsert_cohort);
    if (auto set = FlagSet::Build(std::move(flag_list), std::move(cohort_list)); !set.ok())
      return set.status();
  }
  return Status::Ok();
}

}  // namespace

FlagService::Changes FlagService::FlagChanges(const std::vector<store::Environment>& environments,
                                              const store::FlagRecord* before,
                                              const store::FlagRecord* after) {
  Changes changes;
  for (const store::Environment& environment : environments) {
    if (after == nullptr) {
      changes[environment.id].removed_flag = before->flag.key;
      continue;
    }
    Flag view = after->In(environment.key);
    if (before != nullptr) {
      Flag old_view = before->In(environment.key);
      old_view.version = view.version;
      if (old_view == view) continue;
    }
    changes[environment.id].upsert_flag = std::move(view);
  }
  return changes;
}

FlagService::Changes FlagService::EveryEnvironment(const std::vector<store::Environment>& environments,
                                                   const FlagSet::Change& change) {
  Changes changes;
  for (const store::Environment& environment : environments) changes[environment.id] = change;
  return changes;
}

Status FlagService::Validate(std::int64_t project_id, const std::vector<store::Environment>& environments,
                             const Changes& changes) {
  if (!snapshots_.IsCurrent(project_id) && !snapshots_.Reload(store_, project_id).ok()) {
    return BuildFromStore(store_, project_id, environments, changes);
  }
  return snapshots_.CheckChanges(changes);
}

Status FlagService::Publish(std::int64_t project_id, const std::vector<store::Environment>& environments,
                            const Changes& changes) {
  if (snapshots_.IsCurrent(project_id) && snapshots_.PublishChanges(environments, changes).ok())
    return Status::Ok();
  Status status = snapshots_.Reload(store_, project_id);  // marks the project behind on failure
  if (status.ok()) return status;
  spdlog::error("project {}: a change was saved but could not be published: {}", project_id,
                status.ToString());
  return Status::Internal("the change was saved, but the new definitions could not be published (" +
                          status.message() +
                          "); evaluation serves the previous ones until a later write to this project or a "
                          "restart publishes them");
}

bool IsReservedFlagKey(std::string_view key) {
  return key == "stale" || key == "apply";
}

Result<FlagWriteResult> FlagService::Create(std::int64_t project_id, const FlagRecordChange& build,
                                            const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto environments = store_.ListEnvironments(project_id);
  if (!environments.ok()) return environments.status();
  store::FlagRecord record;
  record.project_id = project_id;
  if (Status s = build(record, *environments); !s.ok()) return s;
  if (IsReservedFlagKey(record.flag.key)) return Status::InvalidArgument(kReservedFlagKeyMessage, "key");
  record.flag.version = 1;
  auto canonical = Canonical(record, *environments);
  if (!canonical.ok()) return canonical.status();
  if (Status s = Validate(project_id, *environments, FlagChanges(*environments, nullptr, &*canonical));
      !s.ok())
    return s;
  auto stored = store_.CreateFlag(project_id, *canonical, actor);
  if (!stored.ok()) return stored.status();
  if (Status s = Publish(project_id, *environments, FlagChanges(*environments, nullptr, &*stored)); !s.ok())
    return s;
  return FlagWriteResult{std::move(*stored), true};
}

Result<FlagWriteResult> FlagService::Update(std::int64_t project_id, const std::string& key,
                                            std::optional<std::int64_t> expected_version,
                                            const FlagRecordChange& change, const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto current = store_.GetFlag(project_id, key);
  if (!current.ok()) return current.status();
  std::int64_t base = expected_version.value_or(current->flag.version);
  if (current->flag.version != base) {
    return Status::Conflict("flag '" + key + "' is at version " + std::to_string(current->flag.version) +
                                ", not " + std::to_string(base) + "; re-read it and apply your change again",
                            "version");
  }
  auto environments = store_.ListEnvironments(project_id);
  if (!environments.ok()) return environments.status();
  store::FlagRecord next = *current;
  if (Status s = change(next, *environments); !s.ok()) return s;
  next.flag.key = key;
  next.flag.version = current->flag.version;
  auto canonical_next = Canonical(next, *environments);
  if (!canonical_next.ok()) return canonical_next.status();
  auto canonical_current = Canonical(*current, *environments);
  if (canonical_current.ok() && canonical_current->flag == canonical_next->flag &&
      canonical_current->environments == canonical_next->environments &&
      canonical_current->archived == canonical_next->archived) {
    return FlagWriteResult{std::move(*current), false};
  }
  if (Status s = Validate(project_id, *environments, FlagChanges(*environments, &*current, &*canonical_next));
      !s.ok())
    return s;
  auto stored = store_.UpdateFlag(project_id, *canonical_next, base, actor);
  if (!stored.ok()) return stored.status();
  if (Status s = Publish(project_id, *environments, FlagChanges(*environments, &*current, &*stored)); !s.ok())
    return s;
  return FlagWriteResult{std::move(*stored), true};
}

Status FlagService::Delete(std::int64_t project_id, const std::string& key,
                           std::optional<std::int64_t> expected_version, const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto current = store_.GetFlag(project_id, key);
  if (!current.ok()) return current.status();
  auto environments = store_.ListEnvironments(project_id);
  if (!environments.ok()) return environments.status();
  Changes changes = FlagChanges(*environments, &*current, nullptr);
  if (Status s = Validate(project_id, *environments, changes); !s.ok()) return s;
  Status status = store_.DeleteFlag(project_id, key, expected_version.value_or(current->flag.version), actor);
  if (!status.ok()) return status;
  return Publish(project_id, *environments, changes);
}

Result<FlagApplyResult> FlagService::Apply(std::int64_t project_id, const FlagApplyPlanner& planner,
                                           bool dry_run, const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto flags = store_.ListFlags(project_id, {});
  if (!flags.ok()) return flags.status();
  auto cohort_records = store_.ListCohorts(project_id);
  if (!cohort_records.ok()) return cohort_records.status();
  std::vector<Cohort> cohorts;
  for (auto& record : *cohort_records) cohorts.push_back(std::move(record.cohort));
  FlagApplyResult result;
  result.plan = planner(*flags, cohorts);
  if (dry_run || !result.plan.ok() || result.plan.changes.empty()) return result;
  std::vector<store::FlagWrite> writes;
  for (const PlannedChange& change : result.plan.changes) writes.push_back(change.write);
  auto stored = store_.ApplyFlags(project_id, writes, actor);
  if (!stored.ok()) return stored.status();
  result.applied = true;
  result.stored = std::move(*stored);
  // Many flags change at once: rebuilding the project is simpler than deriving each environment
  // change by change, and an apply is rare.
  if (Status s = snapshots_.Reload(store_, project_id); !s.ok()) {
    spdlog::error("project {}: an apply was saved but could not be published: {}", project_id, s.ToString());
    return Status::Internal("the apply was saved, but the new definitions could not be published (" +
                            s.message() +
                            "); evaluation serves the previous ones until a later write to this project or a "
                            "restart publishes them");
  }
  return result;
}

Result<store::CohortRecord> FlagService::WriteCohort(
    std::int64_t project_id, const Cohort& cohort,
    const std::function<Result<store::CohortRecord>()>& write) {
  std::lock_guard lock(write_mutex_);
  auto environments = store_.ListEnvironments(project_id);
  if (!environments.ok()) return environments.status();
  if (Status s =
          Validate(project_id, *environments, EveryEnvironment(*environments, {.upsert_cohort = cohort}));
      !s.ok())
    return s;
  auto record = write();
  if (!record.ok()) return record;
  if (Status s = Publish(project_id, *environments,
                         EveryEnvironment(*environments, {.upsert_cohort = record->cohort}));
      !s.ok())
    return s;
  return record;
}

Result<store::CohortRecord> FlagService::CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                                      const store::Actor& actor) {
  return WriteCohort(project_id, cohort, [&] { return store_.CreateCohort(project_id, cohort, actor); });
}

Result<store::CohortRecord> FlagService::ReplaceCohort(std::int64_t project_id, const Cohort& cohort,
                                                       std::int64_t expected_version,
                                                       const store::Actor& actor) {
  return WriteCohort(project_id, cohort,
                     [&] { return store_.UpdateCohort(project_id, cohort, expected_version, actor); });
}

Status FlagService::DeleteCohort(std::int64_t project_id, const std::string& id,
                                 std::optional<std::int64_t> expected_version, const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto current = store_.GetCohort(project_id, id);
  if (!current.ok()) return current.status();
  auto environments = store_.ListEnvironments(project_id);
  if (!environments.ok()) return environments.status();
  Changes changes = EveryEnvironment(*environments, {.removed_cohort = id});
  if (Status s = Validate(project_id, *environments, changes); !s.ok()) return s;
  Status status = store_.DeleteCohort(project_id, id, expected_version.value_or(current->version), actor);
  if (!status.ok()) return status;
  return Publish(project_id, *environments, changes);
}

Result<store::Environment> FlagService::CreateEnvironment(std::int64_t project_id, const std::string& key,
                                                          const std::string& name,
                                                          const std::optional<std::string>& copy_from,
                                                          const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto environment = store_.CreateEnvironment(project_id, key, name, copy_from, actor);
  if (!environment.ok()) return environment;
  if (Status s = snapshots_.Reload(store_, project_id); !s.ok()) {
    return Status::Internal("the environment was created, but its flags could not be published (" +
                            s.message() + "); a later write to this project or a restart publishes them");
  }
  return environment;
}

}  // namespace switchyard::server
