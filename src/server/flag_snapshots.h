// FlagSnapshots: the published, immutable FlagSet of every project.
//
// Readers (every evaluate request) take a shared_ptr with one atomic load and never block;
// writers rebuild a project's FlagSet from the store and publish a new map. Thread-safety: Get
// from any thread; Reload/ReloadAll from any thread (serialized internally).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
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

  // Reads the project's flags and cohorts from the store and publishes them.
  Status Reload(store::Store& store, std::int64_t project_id);
  Status ReloadAll(store::Store& store);

  // Builds (without publishing) what the project's snapshot would be from these definitions;
  // used to validate a change (dangling prerequisites, cycles) before it is written.
  static Result<std::shared_ptr<const FlagSet>> Load(store::Store& store, std::int64_t project_id);

  // Every published project's snapshot version and rebuild time, by project id.
  std::vector<SnapshotStats> Stats() const;

 private:
  struct Entry {
    std::shared_ptr<const FlagSet> set;
    SnapshotStats stats;
  };
  using Map = std::unordered_map<std::int64_t, Entry>;
  SteadyClock clock_;
  std::atomic<std::shared_ptr<const Map>> map_;
  std::mutex write_mutex_;
};

}  // namespace switchyard::server
