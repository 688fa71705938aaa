// FlagSnapshots: the published, immutable FlagSet of every environment, and which projects'
// snapshots are known to be behind the store.
//
// A snapshot belongs to one environment (ids are unique across projects): the project's flags as
// that environment targets them, with the project's cohorts. Readers (every evaluate request) take
// a shared_ptr with one atomic load and never block. Writers either publish snapshots they derived
// from the current ones (FlagService, with FlagSet::With) or rebuild a project's environments from
// the store (Reload). A project is published all environments at once, so no reader sees staging
// after a change and production before it. A project whose rebuild fails keeps serving its
// previous snapshots (empty if it never loaded) and is reported by NotReady() until a later
// Reload succeeds, so that one broken project never takes the others down.
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

// What /metrics shows of an environment's published snapshot.
struct SnapshotStats {
  std::int64_t project_id = 0;
  std::int64_t environment_id = 0;
  std::string environment;                  // its key
  std::uint64_t version = 0;                // 1 for the first snapshot published, +1 on each publish
  std::chrono::nanoseconds rebuild_time{};  // deriving or reading and compiling the latest one
};

class FlagSnapshots {
 public:
  // The clock times rebuilds (tests pass one they control).
  explicit FlagSnapshots(SteadyClock clock = RealSteadyClock());

  // The environment's current snapshot (an empty FlagSet for one with no flags, or unknown).
  std::shared_ptr<const FlagSet> Get(std::int64_t environment_id) const;

  // Derives each environment's next snapshot from its published one and its change (recompiling
  // only what changed) and publishes them together. Fails, publishing nothing, when any
  // derivation does; an environment without a published snapshot derives from an empty one.
  Status PublishChanges(const std::vector<store::Environment>& environments,
                        const std::map<std::int64_t, FlagSet::Change>& changes);
  // Would the changes derive? (Nothing is published.)
  Status CheckChanges(const std::map<std::int64_t, FlagSet::Change>& changes) const;

  // Reads the project's environments, flags and cohorts from the store and publishes every
  // environment's snapshot. On failure the previous snapshots stay and the project is not ready
  // (with the reason) until one succeeds.
  Status Reload(store::Store& store, std::int64_t project_id);
  // Reload of every project. A project that fails is logged and left not ready; the others load.
  // Fails only when the projects cannot be listed.
  Status ReloadAll(store::Store& store);

  // Whether the published snapshots are known to match the store (no failed load since the last
  // successful one).
  bool IsCurrent(std::int64_t project_id) const;
  // Marks the project behind the store (a write it could not publish) until a Reload succeeds.
  void MarkBehind(std::int64_t project_id, std::string reason);
  // Projects whose snapshots are behind the store, with why.
  std::map<std::int64_t, std::string> NotReady() const;

  // Builds (without publishing) each environment's snapshot of the project from the store, by
  // environment id.
  static Result<std::map<std::int64_t, std::shared_ptr<const FlagSet>>> Load(
      store::Store& store, std::int64_t project_id, std::vector<store::Environment>* environments = nullptr);

  // Every published environment's snapshot version and rebuild time, by environment id.
  std::vector<SnapshotStats> Stats() const;

 private:
  struct Entry {
    std::shared_ptr<const FlagSet> set;
    SnapshotStats stats;
  };
  using Map = std::unordered_map<std::int64_t, Entry>;  // by environment id
  struct Publication {
    store::Environment environment;
    std::shared_ptr<const FlagSet> set;
  };
  void PublishLocked(const std::vector<Publication>& publications, std::chrono::nanoseconds rebuild_time);

  SteadyClock clock_;
  std::atomic<std::shared_ptr<const Map>> map_;
  std::mutex write_mutex_;  // serializes writers of map_
  mutable std::mutex behind_mutex_;
  std::map<std::int64_t, std::string> behind_;  // guarded by behind_mutex_
};

}  // namespace switchyard::server
