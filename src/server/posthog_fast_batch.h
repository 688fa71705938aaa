// The fast path of PostHog capture (/batch, /capture, /e, /i/v0/e). The rules are
// posthog_event.h's, applied by PostHogEventFromJson over nlohmann's DOM of the whole body; at
// 100 events a request that DOM, its destruction and the per-event conversions were over half of
// a /batch request's CPU, and /batch fell to 64 % of /api/v1/events' rate (docs/PERFORMANCE.md).
// Here simdjson reads the body once, each event is rewritten into the shape POST /api/v1/events
// takes (name, distinct_id, properties with top-level $set/$set_once moved in and the token left
// out, uuid, timestamp) and handed to events::EventParser, the /api/v1/events fast path.
//
// Like EventParser, it only has to be right about what is valid: anything it does not take
// outright (a parse error, a repeated key, a missing or odd field, an event the checks refuse,
// too many events) answers nullopt, and the caller runs the DOM path over the whole request,
// which decides and words every error. tests/server/posthog_fast_batch_test.cc holds the two to
// the same events. Thread: any; one call per request.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "events/event.h"
#include "events/event_json.h"

namespace switchyard::server {

struct PostHogFastBatch {
  events::EventBatch batch;
  std::size_t bytes = 0;  // the events' footprint, for the pipeline's queue bound
};

// `body` is the decoded request body; `sent_at_query_ms` the request's `_` parameter when it
// holds a time (posthog-js), used when the body names no `sent_at`.
std::optional<PostHogFastBatch> ReadPostHogBatchFast(std::string_view body, const events::EventOrigin& origin,
                                                     std::optional<std::int64_t> sent_at_query_ms);

// An event's share of the pipeline's queue bound.
std::size_t EventFootprint(const events::Event& event);

}  // namespace switchyard::server
