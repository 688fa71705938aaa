#include "server/flag_snapshots.h"

#include <spdlog/spdlog.h>
#include <algorithm>

namespace switchyard::server {

FlagSnapshots::FlagSnapshots(SteadyClock clock)
    : clock_(std::move(clock)), map_(std::make_shared<const Map>()) {}

std::shared_ptr<const FlagSet> FlagSnapshots::Get(std::int64_t environment_id) const {
  auto map = map_.load();
  auto it = map->find(environment_id);
  if (it == map->end()) return FlagSet::Empty();
  return it->second.set;
}

Result<std::map<std::int64_t, std::shared_ptr<const FlagSet>>> FlagSnapshots::Load(
    store::Store& store, std::int64_t project_id, std::vector<store::Environment>* environments_out) {
  auto environments = store.ListEnvironments(project_id);
  if (!environments.ok()) return environments.status();
  auto flags = store.ListFlags(project_id, {});
  if (!flags.ok()) return flags.status();
  auto cohorts = store.ListCohorts(project_id);
  if (!cohorts.ok()) return cohorts.status();
  std::vector<Cohort> cohort_list;
  for (auto& record : *cohorts) cohort_list.push_back(std::move(record.cohort));
  std::map<std::int64_t, std::shared_ptr<const FlagSet>> sets;
  for (const store::Environment& environment : *environments) {
    std::vector<Flag> flag_list;
    flag_list.reserve(flags->size());
    for (const auto& record : *flags) flag_list.push_back(record.In(environment.key));
    auto set = FlagSet::Build(std::move(flag_list), cohort_list);
    if (!set.ok()) {
      return Status(set.status().code(), "environment " + environment.key + ": " + set.status().message(),
                    set.status().field());
    }
    sets.emplace(environment.id, std::move(*set));
  }
  if (environments_out != nullptr) *environments_out = std::move(*environments);
  return sets;
}

void FlagSnapshots::PublishLocked(const std::vector<Publication>& publications,
                                  std::chrono::nanoseconds rebuild_time) {
  auto next = std::make_shared<Map>(*map_.load());
  for (const Publication& publication : publications) {
    Entry& entry = (*next)[publication.environment.id];
    entry.set = publication.set;
    entry.stats.project_id = publication.environment.project_id;
    entry.stats.environment_id = publication.environment.id;
    entry.stats.environment = publication.environment.key;
    entry.stats.version += 1;
    entry.stats.rebuild_time = rebuild_time;
  }
  map_.store(std::move(next));
}

Status FlagSnapshots::CheckChanges(const std::map<std::int64_t, FlagSet::Change>& changes) const {
  for (const auto& [environment_id, change] : changes) {
    if (auto next = Get(environment_id)->With(change); !next.ok()) return next.status();
  }
  return Status::Ok();
}

Status FlagSnapshots::PublishChanges(const std::vector<store::Environment>& environments,
                                     const std::map<std::int64_t, FlagSet::Change>& changes) {
  std::lock_guard lock(write_mutex_);
  auto started = clock_();
  std::vector<Publication> publications;
  for (const store::Environment& environment : environments) {
    auto change = changes.find(environment.id);
    if (change == changes.end()) continue;
    auto next = Get(environment.id)->With(change->second);
    if (!next.ok()) return next.status();
    publications.push_back({environment, std::move(*next)});
  }
  PublishLocked(publications, std::chrono::duration_cast<std::chrono::nanoseconds>(clock_() - started));
  return Status::Ok();
}

Status FlagSnapshots::Reload(store::Store& store, std::int64_t project_id) {
  std::lock_guard lock(write_mutex_);
  auto started = clock_();
  std::vector<store::Environment> environments;
  auto sets = Load(store, project_id, &environments);
  if (!sets.ok()) {
    MarkBehind(project_id, sets.status().ToString());
    return sets.status();
  }
  std::vector<Publication> publications;
  for (const store::Environment& environment : environments) {
    publications.push_back({environment, std::move(sets->at(environment.id))});
  }
  PublishLocked(publications, std::chrono::duration_cast<std::chrono::nanoseconds>(clock_() - started));
  std::lock_guard behind_lock(behind_mutex_);
  behind_.erase(project_id);
  return Status::Ok();
}

std::vector<SnapshotStats> FlagSnapshots::Stats() const {
  auto map = map_.load();
  std::vector<SnapshotStats> out;
  out.reserve(map->size());
  for (const auto& [_, entry] : *map) out.push_back(entry.stats);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.environment_id < b.environment_id; });
  return out;
}

Status FlagSnapshots::ReloadAll(store::Store& store) {
  auto projects = store.ListProjects();
  if (!projects.ok()) return projects.status();
  for (const auto& project : *projects) {
    if (Status s = Reload(store, project.id); !s.ok()) {
      spdlog::error("project {} ({}) is not served: its flags do not load: {}", project.id, project.slug,
                    s.ToString());
    }
  }
  return Status::Ok();
}

bool FlagSnapshots::IsCurrent(std::int64_t project_id) const {
  std::lock_guard lock(behind_mutex_);
  return !behind_.contains(project_id);
}

void FlagSnapshots::MarkBehind(std::int64_t project_id, std::string reason) {
  std::lock_guard lock(behind_mutex_);
  behind_[project_id] = std::move(reason);
}

std::map<std::int64_t, std::string> FlagSnapshots::NotReady() const {
  std::lock_guard lock(behind_mutex_);
  return behind_;
}

}  // namespace switchyard::server
