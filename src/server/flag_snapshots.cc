#include "server/flag_snapshots.h"

#include <spdlog/spdlog.h>
#include <algorithm>

namespace switchyard::server {

FlagSnapshots::FlagSnapshots(SteadyClock clock)
    : clock_(std::move(clock)), map_(std::make_shared<const Map>()) {}

std::shared_ptr<const FlagSet> FlagSnapshots::Get(std::int64_t project_id) const {
  auto map = map_.load();
  auto it = map->find(project_id);
  if (it == map->end()) return FlagSet::Empty();
  return it->second.set;
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

void FlagSnapshots::PublishLocked(std::int64_t project_id, std::shared_ptr<const FlagSet> set,
                                  std::chrono::nanoseconds rebuild_time) {
  auto next = std::make_shared<Map>(*map_.load());
  Entry& entry = (*next)[project_id];
  entry.set = std::move(set);
  entry.stats.project_id = project_id;
  entry.stats.version += 1;
  entry.stats.rebuild_time = rebuild_time;
  map_.store(std::move(next));
}

void FlagSnapshots::Publish(std::int64_t project_id, std::shared_ptr<const FlagSet> set) {
  std::lock_guard lock(write_mutex_);
  PublishLocked(project_id, std::move(set), std::chrono::nanoseconds{0});
}

Status FlagSnapshots::PublishChange(std::int64_t project_id, const FlagSet::Change& change) {
  std::lock_guard lock(write_mutex_);
  auto started = clock_();
  auto next = Get(project_id)->With(change);
  if (!next.ok()) return next.status();
  PublishLocked(project_id, std::move(*next),
                std::chrono::duration_cast<std::chrono::nanoseconds>(clock_() - started));
  return Status::Ok();
}

Status FlagSnapshots::Reload(store::Store& store, std::int64_t project_id) {
  std::lock_guard lock(write_mutex_);
  auto started = clock_();
  auto set = Load(store, project_id);
  if (!set.ok()) {
    MarkBehind(project_id, set.status().ToString());
    return set.status();
  }
  PublishLocked(project_id, std::move(*set),
                std::chrono::duration_cast<std::chrono::nanoseconds>(clock_() - started));
  std::lock_guard behind_lock(behind_mutex_);
  behind_.erase(project_id);
  return Status::Ok();
}

std::vector<SnapshotStats> FlagSnapshots::Stats() const {
  auto map = map_.load();
  std::vector<SnapshotStats> out;
  out.reserve(map->size());
  for (const auto& [_, entry] : *map) out.push_back(entry.stats);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.project_id < b.project_id; });
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
