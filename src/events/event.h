// Event: one analytics event as the ingest pipeline stores it, and the limits every event obeys.
// Events are append-only facts: the pipeline never updates one, and de-duplicates on
// (project, uuid) so that a client's retry is stored once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace switchyard::events {

// One request: at most this many events, in a body of at most this many bytes (after gzip
// decoding). Past either: 413.
inline constexpr std::size_t kMaxBatchEvents = 1000;
inline constexpr std::size_t kMaxEventsBodyBytes = 5 * 1024 * 1024;
// Each event.
inline constexpr std::size_t kMaxEventNameBytes = 200;
inline constexpr std::size_t kMaxDistinctIdBytes = 400;        // as persons' distinct_id
inline constexpr std::size_t kMaxPropertiesBytes = 32 * 1024;  // properties, as compact JSON
inline constexpr std::size_t kMaxProperties = 1000;            // top-level properties
inline constexpr std::size_t kMaxPropertyKeyBytes = 256;
inline constexpr std::size_t kMaxPropertyDepth = 8;  // the properties object is level 1
// A client clock this far ahead of the server's is wrong: its events get the server's time.
inline constexpr std::int64_t kMaxFutureSkewMs = 60 * 60 * 1000;
// Earlier than this (2000-01-01T00:00:00Z) is a broken client (epoch 0, seconds read as ms): refused.
inline constexpr std::int64_t kMinTimestampMs = 946'684'800'000;

struct Event {
  std::int64_t seq = 0;  // the log's order of arrival; set by the log, 0 before
  std::int64_t project_id = 0;
  std::int64_t environment_id = 0;  // the project key's environment
  std::string uuid;                 // canonical: lower-case 8-4-4-4-12 hex
  std::string event;
  std::string distinct_id;
  std::string properties = "{}";    // a JSON object, compact
  std::int64_t timestamp_ms = 0;    // when it happened (the client's clock, clamped), ms since the epoch
  std::int64_t received_at_ms = 0;  // when the server received it
};

// One request's events and, once appended, which of them the log already held.
struct EventBatch {
  std::vector<Event> events;
  std::vector<bool> duplicate;  // set by EventLog::Append, one per event
  std::size_t stored = 0;       // events that were new, set by Append
};

}  // namespace switchyard::events
