#include "server/posthog_event.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

std::string Field(const std::string& path, const char* name) {
  return path.empty() ? std::string(name) : path + "." + name;
}

}  // namespace

Result<events::Event> PostHogEventFromJson(json& value, const std::string& path,
                                           const events::EventOrigin& origin,
                                           std::optional<std::int64_t> sent_at_ms) {
  events::UuidV7Generator uuids;
  return PostHogEventFromJson(value, path, origin, sent_at_ms, uuids);
}

Result<events::Event> PostHogEventFromJson(json& value, const std::string& path,
                                           const events::EventOrigin& origin,
                                           std::optional<std::int64_t> sent_at_ms,
                                           events::UuidV7Generator& uuids) {
  if (!value.is_object()) {
    return Status::InvalidArgument("an event must be a JSON object", path.empty() ? "body" : path);
  }
  json ours = json::object();

  auto name = value.find("event");
  if (name == value.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    return Status::InvalidArgument("every event needs an event name (a string)", Field(path, "event"));
  }
  ours["event"] = std::move(*name);

  json properties = json::object();
  auto props = value.find("properties");
  if (props != value.end() && !props->is_null()) {
    if (!props->is_object()) {
      return Status::InvalidArgument("properties must be a JSON object", Field(path, "properties"));
    }
    properties = std::move(*props);
  }

  const json* id = nullptr;
  if (auto top = value.find("distinct_id"); top != value.end() && !top->is_null()) {
    id = &*top;
  } else if (auto inner = properties.find("distinct_id"); inner != properties.end() && !inner->is_null()) {
    id = &*inner;
  }
  if (id == nullptr) {
    return Status::InvalidArgument("every event needs a distinct_id (top level or in properties)",
                                   Field(path, "distinct_id"));
  }
  ours["distinct_id"] = id->is_number_integer() ? json(id->dump()) : *id;
  properties.erase("token");

  for (const char* part : {"$set", "$set_once"}) {
    auto it = value.find(part);
    if (it == value.end() || it->is_null() || properties.contains(part)) continue;
    properties[part] = std::move(*it);
  }
  ours["properties"] = std::move(properties);

  if (auto uuid = value.find("uuid"); uuid != value.end() && !uuid->is_null())
    ours["uuid"] = std::move(*uuid);

  // A corrected time is set on the checked event, not formatted for EventFromJson to parse again.
  std::optional<std::int64_t> corrected;
  auto timestamp = value.find("timestamp");
  if (timestamp != value.end() && timestamp->is_string() && sent_at_ms) {
    if (auto at = events::ParseTimestampMs(timestamp->get_ref<const std::string&>())) {
      corrected = origin.received_at_ms - (*sent_at_ms - *at);
    }
  }
  if (!corrected && timestamp != value.end() && !timestamp->is_null()) {
    ours["timestamp"] = std::move(*timestamp);  // as sent: event_json accepts or names it
  } else if (!corrected && (timestamp == value.end() || timestamp->is_null())) {
    if (auto offset = value.find("offset"); offset != value.end() && offset->is_number()) {
      corrected = origin.received_at_ms - offset->get<std::int64_t>();
    }
  }
  auto event = events::EventFromJson(ours, path, origin, uuids);
  if (!event.ok() || !corrected) return event;
  if (*corrected < events::kMinTimestampMs) {
    return Status::InvalidArgument("timestamp, corrected by sent_at, is before 2000-01-01",
                                   Field(path, "timestamp"));
  }
  // The same clamp EventFromJson applies to a time sent as is.
  event->timestamp_ms =
      *corrected > origin.received_at_ms + events::kMaxFutureSkewMs ? origin.received_at_ms : *corrected;
  return event;
}

}  // namespace switchyard::server
