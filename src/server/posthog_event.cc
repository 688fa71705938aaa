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

  auto timestamp = value.find("timestamp");
  if (timestamp != value.end() && timestamp->is_string()) {
    auto at = events::ParseTimestampMs(timestamp->get<std::string>());
    if (at && sent_at_ms) {
      ours["timestamp"] = events::FormatTimestampMs(origin.received_at_ms - (*sent_at_ms - *at));
    } else {
      ours["timestamp"] = std::move(*timestamp);  // as sent: event_json accepts or names it
    }
  } else if (timestamp != value.end() && !timestamp->is_null()) {
    ours["timestamp"] = std::move(*timestamp);  // the wrong type: event_json names it
  } else if (auto offset = value.find("offset"); offset != value.end() && offset->is_number()) {
    ours["timestamp"] = events::FormatTimestampMs(origin.received_at_ms - offset->get<std::int64_t>());
  }
  return events::EventFromJson(ours, path, origin);
}

}  // namespace switchyard::server
