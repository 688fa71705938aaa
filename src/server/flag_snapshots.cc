#include "server/flag_snapshots.h"

namespace switchyard::server {

FlagSnapshots::FlagSnapshots() : map_(std::make_shared<const Map>()) {}

std::shared_ptr<const FlagSet> FlagSnapshots::Get(std::int64_t project_id) const {
  auto map = map_.load();
  auto it = map->find(project_id);
  if (it == map->end()) return FlagSet::Empty();
  return it->second;
}

Result<std::shared_ptr<const FlagSet>> FlagSnapshots::Load(store::Store& store, std::int64_t project_id) {
  auto flags = store.ListFlags(project_id, {});
  if (!flags.ok()) return flags.status();
  auto cohorts = store.ListCohorts(project_id);
  if (!cohorts.ok()) return cohorts.status();
  std::vector<Flag> flag_list;
  flag_list.reserve(flags->size());
  for (auto& record : *flags) flag_list.push_back(std::move(record.flag));
  std::vector<Cohort> cohort_list;
  for (auto& record : *cohorts) cohort_list.push_back(std::move(record.cohort));
  return FlagSet::Build(std::move(flag_list), std::move(cohort_list));
}

Status FlagSnapshots::Reload(store::Store& store, std::int64_t project_id) {
  MutexLock lock(write_mutex_);
  auto set = Load(store, project_id);
  if (!set.ok()) return set.status();
  auto next = std::make_shared<Map>(*map_.load());
  (*next)[project_id] = std::move(*set);
  map_.store(std::move(next));
  return Status::Ok();
}

Status FlagSnapshots::ReloadAll(store::Store& store) {
  auto projects = store.ListProjects();
  if (!projects.ok()) return projects.status();
  for (const auto& project : *projects) {
    if (Status s = Reload(store, project.id); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace switchyard::server
