// One event as PostHog's SDKs capture it, turned into the event the pipeline stores: the
// distinct_id at the top level or in properties (a number is taken as its digits), top-level
// `$set` / `$set_once` moved into properties (as PostHog's capture does), the project token
// dropped from properties (it is not event data), and the client's clock corrected by the
// request's `sent_at` (PostHog: timestamp = received_at - (sent_at - timestamp)) or an `offset`.
// Unknown top-level fields (type, library, ...) are ignored. Then the checks every event passes
// (event_json.h). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "events/event.h"
#include "events/event_json.h"
#include "events/uuid.h"
#include "switchyard/status.h"

namespace switchyard::server {

// `value` is moved from. `sent_at_ms`: when the client says it sent the request, if it did.
// InvalidArgument naming the field under `path` ("batch[3].event") when the event has no name
// or distinct_id, or fails event_json's checks.
Result<events::Event> PostHogEventFromJson(nlohmann::json& value, const std::string& path,
                                           const events::EventOrigin& origin,
                                           std::optional<std::int64_t> sent_at_ms);
// The same, drawing uuids for events without one from `uuids`: one generator per request draws
// the random bytes of many uuids at once (a generator per event paid RAND_bytes each time, a
// tenth of a /batch request's CPU).
Result<events::Event> PostHogEventFromJson(nlohmann::json& value, const std::string& path,
                                           const events::EventOrigin& origin,
                                           std::optional<std::int64_t> sent_at_ms,
                                           events::UuidV7Generator& uuids);

}  // namespace switchyard::server
