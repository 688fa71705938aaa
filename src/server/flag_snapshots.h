// FlagSnapshots: the published, immutable FlagSet of every project, and which projects' snapshots
// are known to be behind the store.
//
// Readers (every evaluate request) take a shared_ptr with one atomic load and never block.
// Writers either publish a snapshot they derived from the current one (FlagService, with
// FlagSet::With) or rebuild a project from the store (Reload). A project whose rebuild fails
// keeps serving its previous snapshot (empty if it never loaded) and is reported by NotReady()
// until a later Reload succeeds, so that one broken project never takes the others down.
// Thread-safety: every method from any thread; writers are serialized internally.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/steady_clock.h"
#include "store/store.h"
#include "switchyard/flag_set.h"

namespace switchyard::server {

// What /metrics shows of a project's published snapshot.
struct SnapshotStats {
  std::int64_t project_id = 0;
  std::uint64_t version = 0;                // 1 for the first snapshot published, +1 on each reload
  std::chrono::nanoseconds rebuild_time{};  // reading and compiling the latest one
};

class FlagSnapshots {
 public:
  // The clock times rebuilds (tests pass one they control).
  explicit FlagSnapshots(SteadyClock clock = RealSteadyClock());

  // The project's current snapshot (an empty FlagSet for a project with no flags).
  std::shared_ptr<const FlagSet> Get(std::int64_t project_id) const;

  // Publishes `set`, which must reflect what the store now holds for the project.
  void Publish(std::int64_t project_id, std::shared_ptr<const FlagSet> set);
  // Derives the next snapshot from the published one and `change` (recompiling only what
  // changed), times it and publishes it. Fails, publishing nothing, when the derivation does.
  Status PublishChange(std::int64_t project_id, const FlagSet::Change& change);

  // Reads the project's flags and cohorts from the store and publishes them. On failure the
  // previous snapshot stays and the project is not ready (with the reason) until one succeeds.
  Status Reload(store::Store& store, std::int64_t project_id);
  // Reload of every project. A project that fails is logged and left not ready; the others load.
  // Fails only when the projects cannot be listed.
  Status ReloadAll(store::Store& store);

  // Whether the published snapshot is known to match the store (no failed load since the last
  // successful one).
  bool IsCurrent(std::int64_t project_id) const;
  // Marks the project behind the store (a write it could not publish) until a Reload succeeds.
  void MarkBehind(std::int64_t project_id, std::string reason);
  // Projects whose snapshot is behind the store, with why.
  std::map<std::int64_t, std::string> NotReady() const;

  // Builds (without publishing) the project's snapshot from the store.
  static Result<std::shared_ptr<const FlagSet>> Load(store::Store& store, std::int64_t project_id);

  // Every published project's snapshot version and rebuild time, by project id.
  std::vector<SnapshotStats> Stats() const;

 private:
  struct Entry {
    std::shared_ptr<const FlagSet> set;
    SnapshotStats stats;
  };
  using Map = std::unordered_map<std::int64_t, Entry>;
  void PublishLocked(std::int64_t project_id, std::shared_ptr<const FlagSet> set,
                     std::chrono::nanoseconds rebuild_time);

  SteadyClock clock_;
  std::atomic<std::shared_ptr<const Map>> map_;
  std::mutex write_mutex_;  // serializes writers of map_
  mutable std::mutex behind_mutex_;
  std::map<std::int64_t, std::string> behind_;  // guarded by behind_mutex_
};

}  // namespace switchyard::server
