// MemoryEventLog: the EventLog contract in memory, for `--store memory` and tests. Nothing is
// durable beyond the process; everything else (de-duplication, seq, queries) is as the contract
// says. Thread-safety: one mutex; every method from any thread.
#pragma once

#include <deque>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "common/thread_annotations.h"
#include "events/event_log.h"

namespace switchyard::events {

class MemoryEventLog final : public EventLog {
 public:
  Status Append(std::span<EventBatch* const> batches) override;
  Result<std::vector<Event>> Query(const EventQuery& query) override;
  Result<std::vector<Event>> ReadAfter(std::int64_t after_seq, std::size_t limit) override;
  Result<std::int64_t> LatestSeq(std::int64_t project_id) override;
  Result<std::size_t> DeleteReceivedBefore(std::int64_t cutoff_ms, std::size_t max_events) override;
  bool Healthy() override { return true; }

 private:
  Mutex mu_;
  std::deque<Event> events_ GUARDED_BY(mu_);  // by seq
  std::set<std::pair<std::int64_t, std::string>> uuids_ GUARDED_BY(mu_);
  std::int64_t last_seq_ GUARDED_BY(mu_) = 0;
};

}  // namespace switchyard::events
