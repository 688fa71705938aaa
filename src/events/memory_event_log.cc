#include "events/memory_event_log.h"

#include <algorithm>

#include "events/event_query_match.h"

namespace switchyard::events {

Status MemoryEventLog::Append(std::span<EventBatch* const> batches) {
  MutexLock lock(mu_);
  for (EventBatch* batch : batches) {
    batch->duplicate.assign(batch->events.size(), false);
    batch->stored = 0;
    for (std::size_t i = 0; i < batch->events.size(); ++i) {
      Event& event = batch->events[i];
      if (!uuids_.emplace(event.project_id, event.uuid).second) {
        batch->duplicate[i] = true;
        continue;
      }
      event.seq = ++last_seq_;
      events_.push_back(event);
      ++batch->stored;
    }
  }
  return Status::Ok();
}

Result<std::vector<Event>> MemoryEventLog::Query(const EventQuery& query) {
  MutexLock lock(mu_);
  std::vector<Event> out;
  const std::size_t limit = std::max<std::size_t>(query.limit, 1);
  if (query.after_seq) {
    auto it = std::upper_bound(events_.begin(), events_.end(), *query.after_seq,
                               [](std::int64_t seq, const Event& event) { return seq < event.seq; });
    for (; it != events_.end() && out.size() < limit; ++it) {
      if (MatchesFilters(*it, query)) out.push_back(*it);
    }
    return out;
  }
  for (auto it = events_.rbegin(); it != events_.rend() && out.size() < limit; ++it) {
    if (query.before_seq && it->seq >= *query.before_seq) continue;
    if (MatchesFilters(*it, query)) out.push_back(*it);
  }
  return out;
}

Result<std::vector<Event>> MemoryEventLog::ReadAfter(std::int64_t after_seq, std::size_t limit) {
  MutexLock lock(mu_);
  std::vector<Event> out;
  auto it = std::upper_bound(events_.begin(), events_.end(), after_seq,
                             [](std::int64_t seq, const Event& event) { return seq < event.seq; });
  for (; it != events_.end() && out.size() < std::max<std::size_t>(limit, 1); ++it) out.push_back(*it);
  return out;
}

Result<std::int64_t> MemoryEventLog::LatestSeq(std::int64_t project_id) {
  MutexLock lock(mu_);
  for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
    if (it->project_id == project_id) return it->seq;
  }
  return std::int64_t{0};
}

Result<std::size_t> MemoryEventLog::DeleteReceivedBefore(std::int64_t cutoff_ms, std::size_t max_events) {
  MutexLock lock(mu_);
  // Oldest first, as the SQLite log does: arrival order, which received_at follows.
  std::size_t deleted = 0;
  while (deleted < max_events && !events_.empty() && events_.front().received_at_ms < cutoff_ms) {
    uuids_.erase({events_.front().project_id, events_.front().uuid});
    events_.pop_front();
    ++deleted;
  }
  return deleted;
}

}  // namespace switchyard::events
