// EventLog: where ingested events are kept, behind an interface so that a column store
// (ClickHouse) can replace the embedded SQLite log without the pipeline or the API changing.
//
// Contract (tests/events/event_log_conformance_test.cc checks every implementation):
// - Append writes every event of every batch in one transaction, or none: when it returns Ok the
//   events are durable (they survive a crash of the process and, for SQLite, of the machine).
// - De-duplication on (project_id, uuid): an event whose uuid the project already holds (stored
//   before, or earlier in the same call) is not stored again and is marked duplicate.
// - seq numbers every stored event in order of arrival, increasing, never reused (also after
//   deletions), so "events after seq N" is a cursor a follower can poll with.
// - Thread-safety: every method from any thread. Errors are Status values, never exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "events/event.h"
#include "switchyard/status.h"

namespace switchyard::events {

struct EventQuery {
  std::int64_t project_id = 0;
  std::optional<std::string> event = std::nullopt;
  std::optional<std::string> distinct_id = std::nullopt;
  std::optional<std::string> uuid = std::nullopt;
  std::optional<std::int64_t> after_ms = std::nullopt;   // timestamp >= after_ms
  std::optional<std::int64_t> before_ms = std::nullopt;  // timestamp < before_ms
  // Newest first (seq descending) from before this seq, when set; or, with after_seq, oldest
  // first from after it (following the log). Not both.
  std::optional<std::int64_t> before_seq = std::nullopt;
  std::optional<std::int64_t> after_seq = std::nullopt;
  std::size_t limit = 100;
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Every event of every batch in one transaction; fills each batch's `duplicate` and `stored`.
  virtual Status Append(std::span<EventBatch* const> batches) = 0;
  // The events matching `query`, at most query.limit, in the order it asks for.
  virtual Result<std::vector<Event>> Query(const EventQuery& query) = 0;
  // Every project's events with seq > after_seq, oldest first, at most `limit`: the feed that
  // consumers of the whole stream (the experiment aggregator) replay from their checkpoint.
  virtual Result<std::vector<Event>> ReadAfter(std::int64_t after_seq, std::size_t limit) = 0;
  // The highest seq the project's events have reached (0: none yet), for a follower to start at.
  virtual Result<std::int64_t> LatestSeq(std::int64_t project_id) = 0;
  // Deletes at most `max_events` of the oldest events received before `cutoff_ms` (every
  // project); returns how many. Small calls keep each write transaction short.
  virtual Result<std::size_t> DeleteReceivedBefore(std::int64_t cutoff_ms, std::size_t max_events) = 0;
  // True when the log can take writes (for /readyz).
  virtual bool Healthy() = 0;
};

}  // namespace switchyard::events
