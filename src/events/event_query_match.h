// Whether an event satisfies an EventQuery's filters (not its paging), shared by the logs that
// filter in C++ rather than in SQL.
#pragma once

#include "events/event_log.h"

namespace switchyard::events {

inline bool MatchesFilters(const Event& event, const EventQuery& query) {
  return event.project_id == query.project_id && (!query.event || event.event == *query.event) &&
         (!query.distinct_id || event.distinct_id == *query.distinct_id) &&
         (!query.uuid || event.uuid == *query.uuid) &&
         (!query.after_ms || event.timestamp_ms >= *query.after_ms) &&
         (!query.before_ms || event.timestamp_ms < *query.before_ms);
}

}  // namespace switchyard::events
