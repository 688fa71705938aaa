// EvaluationCounters: when each flag was last evaluated in each environment, and how often, for
// the stale report. Counted in memory on the evaluate path and written to the store in batches
// (Flush, every minute and at shutdown), never a store write per evaluation.
//
// Cost on the hot path: one shared lock per request and, per evaluated flag, one hash lookup,
// one relaxed fetch_add, and a store to the "last minute" atomic only when the minute changed
// (so a busy flag's cache line is written once a minute, not per request, apart from its count).
// A flag seen for the first time takes the exclusive lock once to get its slot.
//
// Thread-safety: Record from any thread concurrently; Flush and Read from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/thread_annotations.h"
#include "store/store.h"
#include "switchyard/evaluation.h"

namespace switchyard::server {

class EvaluationCounters {
 public:
  using Clock = std::chrono::system_clock;

  // Counts one evaluation of each result's flag in the environment at `now` (results for flags
  // that do not exist are not counted).
  void Record(std::int64_t environment_id, const std::vector<FlagResult>& results, Clock::time_point now);

  // Writes what was counted since the last flush as deltas; on failure keeps them for the next.
  Status Flush(store::Store& store);

  // The environment's stored stats with what is not flushed yet added, by flag key.
  Result<std::map<std::string, store::FlagEvaluationStats>> Read(store::Store& store,
                                                                 std::int64_t environment_id) const;

 private:
  struct Slot {
    std::atomic<std::int64_t> last_minute{0};  // minutes since the epoch
    std::atomic<std::int64_t> pending{0};      // evaluations not flushed yet
  };
  using Slots = std::unordered_map<std::string, std::unique_ptr<Slot>>;  // by flag key

  Slot* Find(std::int64_t environment_id, const std::string& key) const REQUIRES_SHARED(mu_);

  mutable SharedMutex mu_;  // guards the maps' shape; slots are atomics, updated under the shared lock
  std::unordered_map<std::int64_t, Slots> environments_ GUARDED_BY(mu_);
  Mutex flush_mu_;  // one flush at a time, so a failed one's deltas are put back before the next
};

}  // namespace switchyard::server
