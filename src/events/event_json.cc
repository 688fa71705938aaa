#include "events/event_json.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/date_value.h"
#include "core/known_fields.h"
#include "events/uuid.h"

namespace switchyard::events {
namespace {

using nlohmann::json;

std::string FieldPath(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

// The deepest nesting of arrays/objects in `value` (a scalar is 0), stopping early past `limit`.
std::size_t Depth(const json& value, std::size_t limit) {
  if (!value.is_structured()) return 0;
  std::size_t deepest = 0;
  for (const auto& child : value) {
    deepest = std::max(deepest, Depth(child, limit));
    if (deepest >= limit) break;
  }
  return deepest + 1;
}

Result<std::string> RequiredText(const json& value, const std::string& path, const char* name,
                                 std::size_t max_bytes) {
  const std::string field = FieldPath(path, name);
  auto it = value.find(name);
  if (it == value.end() || it->is_null())
    return Status::InvalidArgument(std::string(name) + " is required", field);
  if (!it->is_string()) return Status::InvalidArgument(std::string(name) + " must be a string", field);
  const auto& text = it->get_ref<const std::string&>();
  if (text.empty() || text.size() > max_bytes) {
    return Status::InvalidArgument(
        std::string(name) + " must be 1 to " + std::to_string(max_bytes) + " bytes long", field);
  }
  return text;
}

}  // namespace

Result<std::string> CheckedProperties(const json& properties, const std::string& field) {
  if (!properties.is_object()) return Status::InvalidArgument("must be a JSON object", field);
  if (properties.size() > kMaxProperties) {
    return Status::InvalidArgument("at most " + std::to_string(kMaxProperties) + " properties", field);
  }
  for (const auto& [key, value] : properties.items()) {
    if (key.empty() || key.size() > kMaxPropertyKeyBytes) {
      return Status::InvalidArgument(
          "property names must be 1 to " + std::to_string(kMaxPropertyKeyBytes) + " bytes long", field);
    }
    if (Depth(value, kMaxPropertyDepth) >= kMaxPropertyDepth) {
      return Status::InvalidArgument("nests deeper than " + std::to_string(kMaxPropertyDepth) + " levels",
                                     field + "." + key);
    }
  }
  std::string text = properties.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > kMaxPropertiesBytes) {
    return Status::InvalidArgument("is " + std::to_string(text.size()) + " bytes as JSON; at most " +
                                       std::to_string(kMaxPropertiesBytes),
                                   field);
  }
  return text;
}

Result<Event> EventFromJson(const json& value, const std::string& path, const EventOrigin& origin) {
  UuidV7Generator uuids;
  return EventFromJson(value, path, origin, uuids);
}

Result<Event> EventFromJson(const json& value, const std::string& path, const EventOrigin& origin,
                            UuidV7Generator& uuids) {
  if (!value.is_object()) {
    return Status::InvalidArgument("an event must be a JSON object", path.empty() ? "body" : path);
  }
  if (Status s = core::CheckFields(value, path, core::kEventFields); !s.ok()) return s;
  Event event;
  event.project_id = origin.project_id;
  event.environment_id = origin.environment_id;
  event.received_at_ms = origin.received_at_ms;
  auto name = RequiredText(value, path, "event", kMaxEventNameBytes);
  if (!name.ok()) return name.status();
  event.event = std::move(*name);
  auto distinct_id = RequiredText(value, path, "distinct_id", kMaxDistinctIdBytes);
  if (!distinct_id.ok()) return distinct_id.status();
  event.distinct_id = std::move(*distinct_id);

  if (auto it = value.find("properties"); it != value.end() && !it->is_null()) {
    auto properties = CheckedProperties(*it, FieldPath(path, "properties"));
    if (!properties.ok()) return properties.status();
    event.properties = std::move(*properties);
  }

  if (auto it = value.find("uuid"); it != value.end() && !it->is_null()) {
    std::optional<std::string> uuid =
        it->is_string() ? CanonicalUuid(it->get_ref<const std::string&>()) : std::nullopt;
    if (!uuid) {
      return Status::InvalidArgument("uuid must be a UUID (8-4-4-4-12 hexadecimal digits)",
                                     FieldPath(path, "uuid"));
    }
    event.uuid = std::move(*uuid);
  } else {
    event.uuid = uuids.Next(origin.received_at_ms);
  }

  event.timestamp_ms = origin.received_at_ms;
  if (auto it = value.find("timestamp"); it != value.end() && !it->is_null()) {
    const std::string field = FieldPath(path, "timestamp");
    std::optional<std::int64_t> at =
        it->is_string() ? ParseTimestampMs(it->get_ref<const std::string&>()) : std::nullopt;
    if (!at) {
      return Status::InvalidArgument("timestamp must be an RFC 3339 date-time, e.g. 2026-11-21T10:00:00.000Z",
                                     field);
    }
    if (*at < kMinTimestampMs) {
      return Status::InvalidArgument("timestamp is before 2000-01-01; is the client's clock set?", field);
    }
    // A clock far ahead would put the event in the future of every query: the server's time is
    // the best estimate left. Behind is believed (offline clients send late).
    event.timestamp_ms = *at > origin.received_at_ms + kMaxFutureSkewMs ? origin.received_at_ms : *at;
  }
  return event;
}

std::optional<std::int64_t> ParseTimestampMs(const std::string& text) {
  // Only date-times: a bare date or a relative value ("-7d") is not when something happened.
  if (text.size() < 16 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) return std::nullopt;
  std::optional<core::Micros> at = core::ParseIsoDateTime(text);
  if (!at) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(at->time_since_epoch()).count();
}

std::string FormatTimestampMs(std::int64_t unix_ms) {
  std::int64_t seconds = unix_ms / 1000;
  std::int64_t ms = unix_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    --seconds;
  }
  const auto as_time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&as_time, &utc);
  char buffer[40];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + length, sizeof buffer - length, ".%03dZ", static_cast<int>(ms));
  return buffer;
}

json EventToJson(const Event& event, const std::string& environment) {
  // Stored properties were checked on the way in; a row that no longer parses is shown as text
  // rather than failing the whole list.
  json properties = json::parse(event.properties, nullptr, /*allow_exceptions=*/false);
  if (properties.is_discarded()) properties = event.properties;
  return json{{"uuid", event.uuid},
              {"event", event.event},
              {"distinct_id", event.distinct_id},
              {"properties", std::move(properties)},
              {"timestamp", FormatTimestampMs(event.timestamp_ms)},
              {"received_at", FormatTimestampMs(event.received_at_ms)},
              {"environment", environment}};
}

}  // namespace switchyard::events
