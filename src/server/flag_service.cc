#include "server/flag_service.h"

#include <spdlog/spdlog.h>

namespace switchyard::server {
namespace {

// The project's definitions from the store, with `change` applied, built in full: the path for a
// project whose published snapshot cannot be trusted, so that a write can repair a broken one.
Result<std::shared_ptr<const FlagSet>> BuildFromStore(store::Store& store, std::int64_t project_id,
                                                      const FlagSet::Change& change) {
  auto flags = store.ListFlags(project_id, {});
  if (!flags.ok()) return flags.status();
  auto cohorts = store.ListCohorts(project_id);
  if (!cohorts.ok()) return cohorts.status();
  std::vector<Flag> flag_list;
  for (auto& record : *flags) {
    const std::string& key = record.flag.key;
    if (key == change.removed_flag || (change.upsert_flag && key == change.upsert_flag->key)) continue;
    flag_list.push_back(std::move(record.flag));
  }
  if (change.upsert_flag) flag_list.push_back(*change.upsert_flag);
  std::vector<Cohort> cohort_list;
  for (auto& record : *cohorts) {
    const std::string& id = record.cohort.id;
    if (id == change.removed_cohort || (change.upsert_cohort && id == change.upsert_cohort->id)) continue;
    cohort_list.push_back(std::move(record.cohort));
  }
  if (change.upsert_cohort) cohort_list.push_back(*change.upsert_cohort);
  return FlagSet::Build(std::move(flag_list), std::move(cohort_list));
}

}  // namespace

Status FlagService::Validate(std::int64_t project_id, const FlagSet::Change& change) {
  if (!snapshots_.IsCurrent(project_id) && !snapshots_.Reload(store_, project_id).ok()) {
    return BuildFromStore(store_, project_id, change).status();
  }
  return snapshots_.Get(project_id)->With(change).status();
}

Status FlagService::Publish(std::int64_t project_id, const FlagSet::Change& change) {
  if (snapshots_.IsCurrent(project_id) && snapshots_.PublishChange(project_id, change).ok())
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

Result<store::FlagRecord> FlagService::Create(std::int64_t project_id, const Flag& flag,
                                              const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  if (Status s = Validate(project_id, {.upsert_flag = flag}); !s.ok()) return s;
  auto record = store_.CreateFlag(project_id, flag, actor);
  if (!record.ok()) return record;
  if (Status s = Publish(project_id, {.upsert_flag = record->flag}); !s.ok()) return s;
  return record;
}

Result<store::FlagRecord> FlagService::Replace(std::int64_t project_id, const Flag& flag,
                                               std::int64_t expected_version, const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto current = store_.GetFlag(project_id, flag.key);
  if (!current.ok()) return current.status();
  if (current->flag.version != expected_version) {
    return Status::Conflict("flag '" + flag.key + "' is at version " + std::to_string(current->flag.version) +
                                ", not " + std::to_string(expected_version) +
                                "; re-read it and apply your change again",
                            "version");
  }
  if (Status s = Validate(project_id, {.upsert_flag = flag}); !s.ok()) return s;
  auto record = store_.UpdateFlag(project_id, flag, expected_version, actor);
  if (!record.ok()) return record;
  if (Status s = Publish(project_id, {.upsert_flag = record->flag}); !s.ok()) return s;
  return record;
}

Result<store::FlagRecord> FlagService::Modify(std::int64_t project_id, const std::string& key,
                                              std::optional<std::int64_t> expected_version,
                                              const std::function<Status(Flag&)>& change,
                                              const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto current = store_.GetFlag(project_id, key);
  if (!current.ok()) return current.status();
  std::int64_t base = expected_version.value_or(current->flag.version);
  if (current->flag.version != base) {
    return Status::Conflict("flag '" + key + "' is at version " + std::to_string(current->flag.version) +
                                ", not " + std::to_string(base) + "; re-read it and apply your change again",
                            "version");
  }
  Flag flag = current->flag;
  if (Status s = change(flag); !s.ok()) return s;
  if (Status s = Validate(project_id, {.upsert_flag = flag}); !s.ok()) return s;
  auto record = store_.UpdateFlag(project_id, flag, base, actor);
  if (!record.ok()) return record;
  if (Status s = Publish(project_id, {.upsert_flag = record->flag}); !s.ok()) return s;
  return record;
}

Status FlagService::Delete(std::int64_t project_id, const std::string& key,
                           std::optional<std::int64_t> expected_version, const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto current = store_.GetFlag(project_id, key);
  if (!current.ok()) return current.status();
  if (Status s = Validate(project_id, {.removed_flag = key}); !s.ok()) return s;
  Status status = store_.DeleteFlag(project_id, key, expected_version.value_or(current->flag.version), actor);
  if (!status.ok()) return status;
  return Publish(project_id, {.removed_flag = key});
}

Result<store::CohortRecord> FlagService::CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                                      const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  if (Status s = Validate(project_id, {.upsert_cohort = cohort}); !s.ok()) return s;
  auto record = store_.CreateCohort(project_id, cohort, actor);
  if (!record.ok()) return record;
  if (Status s = Publish(project_id, {.upsert_cohort = record->cohort}); !s.ok()) return s;
  return record;
}

Result<store::CohortRecord> FlagService::ReplaceCohort(std::int64_t project_id, const Cohort& cohort,
                                                       std::int64_t expected_version,
                                                       const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  if (Status s = Validate(project_id, {.upsert_cohort = cohort}); !s.ok()) return s;
  auto record = store_.UpdateCohort(project_id, cohort, expected_version, actor);
  if (!record.ok()) return record;
  if (Status s = Publish(project_id, {.upsert_cohort = record->cohort}); !s.ok()) return s;
  return record;
}

Status FlagService::DeleteCohort(std::int64_t project_id, const std::string& id,
                                 std::optional<std::int64_t> expected_version, const store::Actor& actor) {
  std::lock_guard lock(write_mutex_);
  auto current = store_.GetCohort(project_id, id);
  if (!current.ok()) return current.status();
  if (Status s = Validate(project_id, {.removed_cohort = id}); !s.ok()) return s;
  Status status = store_.DeleteCohort(project_id, id, expected_version.value_or(current->version), actor);
  if (!status.ok()) return status;
  return Publish(project_id, {.removed_cohort = id});
}

}  // namespace switchyard::server
