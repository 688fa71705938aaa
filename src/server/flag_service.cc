#include "server/flag_service.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace switchyard::server {
namespace {

template <typename T, typename KeyOf>
void Upsert(std::vector<T>& items, const T& item, KeyOf key_of) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return key_of(x) == key_of(item); });
  if (it == items.end()) {
    items.push_back(item);
  } else {
    *it = item;
  }
}

template <typename T, typename KeyOf>
void Remove(std::vector<T>& items, const std::string& key, KeyOf key_of) {
  items.erase(std::remove_if(items.begin(), items.end(), [&](const T& x) { return key_of(x) == key; }),
              items.end());
}

}  // namespace

Status FlagService::Validate(std::int64_t project_id, const Change& change) {
  auto flags = store_.ListFlags(project_id, {});
  if (!flags.ok()) return flags.status();
  auto cohorts = store_.ListCohorts(project_id);
  if (!cohorts.ok()) return cohorts.status();
  std::vector<Flag> flag_list;
  for (auto& record : *flags) flag_list.push_back(std::move(record.flag));
  std::vector<Cohort> cohort_list;
  for (auto& record : *cohorts) cohort_list.push_back(std::move(record.cohort));

  auto flag_key = [](const Flag& f) -> const std::string& { return f.key; };
  auto cohort_id = [](const Cohort& c) -> const std::string& { return c.id; };
  if (change.upsert_flag) Upsert(flag_list, *change.upsert_flag, flag_key);
  if (change.removed_flag) Remove(flag_list, *change.removed_flag, flag_key);
  if (change.upsert_cohort) Upsert(cohort_list, *change.upsert_cohort, cohort_id);
  if (change.removed_cohort) Remove(cohort_list, *change.removed_cohort, cohort_id);
  auto built = FlagSet::Build(std::move(flag_list), std::move(cohort_list));
  return built.status();
}

Status FlagService::Publish(std::int64_t project_id) {
  Status status = snapshots_.Reload(store_, project_id);
  if (!status.ok()) {
    // The write is durable; only the in-memory snapshot is stale. Say so loudly.
    spdlog::error("could not publish flags of project {}: {}", project_id, status.ToString());
  }
  return status;
}

Result<store::FlagRecord> FlagService::Create(std::int64_t project_id, const Flag& flag,
                                              const store::Actor& actor) {
  MutexLock lock(write_mutex_);
  if (Status s = Validate(project_id, {.upsert_flag = &flag}); !s.ok()) return s;
  auto record = store_.CreateFlag(project_id, flag, actor);
  if (record.ok()) Publish(project_id);
  return record;
}

Result<store::FlagRecord> FlagService::Replace(std::int64_t project_id, const Flag& flag,
                                               std::int64_t expected_version, const store::Actor& actor) {
  MutexLock lock(write_mutex_);
  auto current = store_.GetFlag(project_id, flag.key);
  if (!current.ok()) return current.status();
  if (current->flag.version != expected_version) {
    return Status::Conflict("flag '" + flag.key + "' is at version " + std::to_string(current->flag.version) +
                                ", not " + std::to_string(expected_version) +
                                "; re-read it and apply your change again",
                            "version");
  }
  if (Status s = Validate(project_id, {.upsert_flag = &flag}); !s.ok()) return s;
  auto record = store_.UpdateFlag(project_id, flag, expected_version, actor);
  if (record.ok()) Publish(project_id);
  return record;
}

Result<store::FlagRecord> FlagService::Modify(std::int64_t project_id, const std::string& key,
                                              std::optional<std::int64_t> expected_version,
                                              const std::function<Status(Flag&)>& change,
                                              const store::Actor& actor) {
  MutexLock lock(write_mutex_);
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
  if (Status s = Validate(project_id, {.upsert_flag = &flag}); !s.ok()) return s;
  auto record = store_.UpdateFlag(project_id, flag, base, actor);
  if (record.ok()) Publish(project_id);
  return record;
}

Status FlagService::Delete(std::int64_t project_id, const std::string& key,
                           std::optional<std::int64_t> expected_version, const store::Actor& actor) {
  MutexLock lock(write_mutex_);
  auto current = store_.GetFlag(project_id, key);
  if (!current.ok()) return current.status();
  if (Status s = Validate(project_id, {.removed_flag = &key}); !s.ok()) return s;
  Status status = store_.DeleteFlag(project_id, key, expected_version.value_or(current->flag.version), actor);
  if (status.ok()) Publish(project_id);
  return status;
}

Result<store::CohortRecord> FlagService::CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                                      const store::Actor& actor) {
  MutexLock lock(write_mutex_);
  if (Status s = Validate(project_id, {.upsert_cohort = &cohort}); !s.ok()) return s;
  auto record = store_.CreateCohort(project_id, cohort, actor);
  if (record.ok()) Publish(project_id);
  return record;
}

Result<store::CohortRecord> FlagService::ReplaceCohort(std::int64_t project_id, const Cohort& cohort,
                                                       std::int64_t expected_version,
                                                       const store::Actor& actor) {
  MutexLock lock(write_mutex_);
  if (Status s = Validate(project_id, {.upsert_cohort = &cohort}); !s.ok()) return s;
  auto record = store_.UpdateCohort(project_id, cohort, expected_version, actor);
  if (record.ok()) Publish(project_id);
  return record;
}

Status FlagService::DeleteCohort(std::int64_t project_id, const std::string& id,
                                 std::optional<std::int64_t> expected_version, const store::Actor& actor) {
  MutexLock lock(write_mutex_);
  auto current = store_.GetCohort(project_id, id);
  if (!current.ok()) return current.status();
  if (Status s = Validate(project_id, {.removed_cohort = &id}); !s.ok()) return s;
  Status status = store_.DeleteCohort(project_id, id, expected_version.value_or(current->version), actor);
  if (status.ok()) Publish(project_id);
  return status;
}

}  // namespace switchyard::server
