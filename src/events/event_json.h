// Events as JSON: the checks every event sent to the API passes (strict fields, sizes, depth,
// a uuid and a timestamp that make sense) and the shape the API lists them in. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "events/event.h"
#include "events/uuid.h"
#include "switchyard/status.h"

namespace switchyard::events {

// Where an event was sent: its project key's project and environment, and the server's clock.
struct EventOrigin {
  std::int64_t project_id = 0;
  std::int64_t environment_id = 0;
  std::int64_t received_at_ms = 0;
};

// `value`, one event as sent ({event, distinct_id, properties?, timestamp?, uuid?}), as stored.
// A missing uuid gets a new version-7 one; a missing timestamp is received_at; a timestamp more
// than kMaxFutureSkewMs ahead of received_at is clamped to received_at. InvalidArgument naming
// the field under `path` ("batch[3]" gives "batch[3].properties.plan"; "" gives "properties.plan")
// for an unknown field, a wrong type, an empty or too long name or id, properties past their
// limits (event.h), a malformed uuid, or a timestamp that is not RFC 3339 or before kMinTimestampMs.
Result<Event> EventFromJson(const nlohmann::json& value, const std::string& path, const EventOrigin& origin);
// The same, drawing new uuids from `uuids` (one per request: uuid.h says why).
Result<Event> EventFromJson(const nlohmann::json& value, const std::string& path, const EventOrigin& origin,
                            UuidV7Generator& uuids);

// Checks a JSON object of person or event properties against the event limits (count, key size,
// depth, serialized size); InvalidArgument on `field` (or below it). Returns the compact JSON.
Result<std::string> CheckedProperties(const nlohmann::json& properties, const std::string& field);

// RFC 3339 UTC with milliseconds ("2026-11-21T10:00:00.000Z"), as every API timestamp.
std::string FormatTimestampMs(std::int64_t unix_ms);
// An RFC 3339 / ISO 8601 date-time with an offset (or UTC without one) in ms since the epoch.
std::optional<std::int64_t> ParseTimestampMs(const std::string& text);

// {uuid, event, distinct_id, properties, timestamp, received_at}; `environment` is the key of
// event.environment_id (the caller knows the project's environments).
nlohmann::json EventToJson(const Event& event, const std::string& environment);

}  // namespace switchyard::events
