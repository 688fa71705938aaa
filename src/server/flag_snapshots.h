// FlagSnapshots: the published, immutable FlagSet of every project.
//
// Readers (every evaluate request) take a shared_ptr with one atomic load and never block;
// writers rebuild a project's FlagSet from the store and publish a new map. Thread-safety: Get
// from any thread; Reload/ReloadAll from any thread (serialized internally).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "common/thread_annotations.h"
#include "store/store.h"
#include "switchyard/flag_set.h"

namespace switchyard::server {

class FlagSnapshots {
 public:
  FlagSnapshots();

  // The project's current snapshot (an empty FlagSet for a project with no flags).
  std::shared_ptr<const FlagSet> Get(std::int64_t project_id) const;

  // Reads the project's flags and cohorts from the store and publishes them.
  Status Reload(store::Store& store, std::int64_t project_id) EXCLUDES(write_mutex_);
  Status ReloadAll(store::Store& store) EXCLUDES(write_mutex_);

  // Builds (without publishing) what the project's snapshot would be from these definitions;
  // used to validate a change (dangling prerequisites, cycles) before it is written.
  static Result<std::shared_ptr<const FlagSet>> Load(store::Store& store, std::int64_t project_id);

 private:
  using Map = std::unordered_map<std::int64_t, std::shared_ptr<const FlagSet>>;
  // Read without a lock (atomically); replaced only under write_mutex_, so that two reloads never
  // lose each other's project.
  std::atomic<std::shared_ptr<const Map>> map_;
  Mutex write_mutex_;
};

}  // namespace switchyard::server
