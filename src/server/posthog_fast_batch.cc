#include "server/posthog_fast_batch.h"

#include <string>
#include <vector>

#include <simdjson.h>

#include "core/json_object_writer.h"
#include "core/unique_keys.h"
#include "events/event_parser.h"

namespace switchyard::server {
namespace {

namespace dom = simdjson::dom;

// The body is levels 1-2 (the batch object and its array), an event 3, its properties 4, and a
// property may nest kMaxPropertyDepth - 1 below; deeper fails the parse (the DOM path words it).
constexpr std::size_t kMaxBodyDepth = events::kMaxPropertyDepth + 3;

// A PostHog event rewritten as POST /api/v1/events takes it, with what the rewrite decided.
struct Rewritten {
  std::string text;
  std::optional<std::int64_t> corrected_ms;  // the time sent_at or offset gives, if either did
};

bool IsNull(dom::element value) {
  return value.type() == dom::element_type::NULL_VALUE;
}

// posthog_event.cc's mapping, on simdjson's DOM. False: leave the request to the DOM path.
bool Rewrite(dom::element value, const events::EventOrigin& origin, std::optional<std::int64_t> sent_at_ms,
             Rewritten& out) {
  dom::object event;
  if (value.get_object().get(event) != simdjson::SUCCESS) return false;
  std::optional<dom::element> name, distinct_id, properties, set, set_once, uuid, timestamp, offset;
  for (dom::key_value_pair member : event) {
    std::optional<dom::element>* slot = member.key == "event"         ? &name
                                        : member.key == "distinct_id" ? &distinct_id
                                        : member.key == "properties"  ? &properties
                                        : member.key == "$set"        ? &set
                                        : member.key == "$set_once"   ? &set_once
                                        : member.key == "uuid"        ? &uuid
                                        : member.key == "timestamp"   ? &timestamp
                                        : member.key == "offset"      ? &offset
                                                                      : nullptr;
    if (slot == nullptr) continue;  // type, library, ...: ignored, as the DOM path does
    if (slot->has_value()) return false;
    *slot = member.value;
  }
  std::string& text = out.text;
  text.clear();
  if (!name || !name->is_string()) return false;
  text += "{\"event\":";
  text += simdjson::minify(*name);

  dom::object props;
  const bool has_properties = properties && !IsNull(*properties);
  if (has_properties && properties->get_object().get(props) != simdjson::SUCCESS) return false;
  std::optional<dom::element> id = distinct_id && !IsNull(*distinct_id) ? distinct_id : std::nullopt;
  bool props_have_set = false, props_have_set_once = false;
  if (has_properties) {
    for (dom::key_value_pair member : props) {
      if (member.key == "distinct_id" && !id && !IsNull(member.value)) id = member.value;
      props_have_set = props_have_set || member.key == "$set";
      props_have_set_once = props_have_set_once || member.key == "$set_once";
    }
  }
  if (!id) return false;
  text += ",\"distinct_id\":";
  std::int64_t signed_id = 0;
  std::uint64_t unsigned_id = 0;
  if (id->get_int64().get(signed_id) == simdjson::SUCCESS) {
    text += '"' + std::to_string(signed_id) + '"';
  } else if (id->get_uint64().get(unsigned_id) == simdjson::SUCCESS) {
    text += '"' + std::to_string(unsigned_id) + '"';
  } else {
    text += simdjson::minify(*id);
  }

  text += ",\"properties\":{";
  bool first = true;
  auto member = [&](std::string_view key, dom::element item) {
    if (!first) text += ',';
    first = false;
    core::AppendJsonString(text, key);
    text += ':';
    text += simdjson::minify(item);
  };
  if (has_properties) {
    for (dom::key_value_pair property : props) {
      if (property.key != "token") member(property.key, property.value);
    }
  }
  if (set && !IsNull(*set) && !props_have_set) member("$set", *set);
  if (set_once && !IsNull(*set_once) && !props_have_set_once) member("$set_once", *set_once);
  text += '}';
  if (uuid && !IsNull(*uuid)) {
    text += ",\"uuid\":";
    text += simdjson::minify(*uuid);
  }

  out.corrected_ms.reset();
  std::string_view sent_time;
  if (timestamp && sent_at_ms && timestamp->get_string().get(sent_time) == simdjson::SUCCESS) {
    if (auto at = events::ParseTimestampMs(std::string(sent_time))) {
      out.corrected_ms = origin.received_at_ms - (*sent_at_ms - *at);
    }
  }
  const bool has_timestamp = timestamp && !IsNull(*timestamp);
  if (!out.corrected_ms && has_timestamp) {
    text += ",\"timestamp\":";
    text += simdjson::minify(*timestamp);
  } else if (!out.corrected_ms && !has_timestamp && offset && offset->is_number()) {
    std::int64_t ms = 0;
    if (offset->get_int64().get(ms) != simdjson::SUCCESS) return false;  // a fraction: the DOM path
    out.corrected_ms = origin.received_at_ms - ms;
  }
  text += '}';
  return true;
}

}  // namespace

std::size_t EventFootprint(const events::Event& event) {
  return sizeof(events::Event) + event.uuid.size() + event.event.size() + event.distinct_id.size() +
         event.properties.size();
}

std::optional<PostHogFastBatch> ReadPostHogBatchFast(std::string_view body, const events::EventOrigin& origin,
                                                     std::optional<std::int64_t> sent_at_query_ms) {
  dom::parser parser;
  if (parser.allocate(body.size(), kMaxBodyDepth) != simdjson::SUCCESS) return std::nullopt;
  dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
  // The DOM path refuses a repeated key anywhere, ignored fields included.
  std::vector<std::string_view> keys;
  if (!core::KeysAreUnique(root, keys)) return std::nullopt;

  // {"batch": [...], "sent_at": ...} (posthog-node, /batch), [...] (posthog-js), or one event.
  std::optional<std::int64_t> sent_at = sent_at_query_ms;
  dom::array items;
  std::optional<dom::element> single;
  dom::object object;
  if (root.get_object().get(object) == simdjson::SUCCESS) {
    std::optional<dom::element> batch, sent;
    for (dom::key_value_pair member : object) {
      std::optional<dom::element>* slot = member.key == "batch"     ? &batch
                                          : member.key == "sent_at" ? &sent
                                                                    : nullptr;
      if (slot == nullptr) continue;
      if (slot->has_value()) return std::nullopt;
      *slot = member.value;
    }
    std::string_view sent_text;
    if (sent && sent->get_string().get(sent_text) == simdjson::SUCCESS) {
      sent_at = events::ParseTimestampMs(std::string(sent_text));
    }
    if (batch) {
      if (batch->get_array().get(items) != simdjson::SUCCESS) return std::nullopt;
    } else {
      single = root;
    }
  } else if (root.get_array().get(items) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  const std::size_t count = single ? 1 : items.size();
  if (count == 0 || count > events::kMaxBatchEvents) return std::nullopt;

  PostHogFastBatch out;
  out.batch.events.reserve(count);
  events::EventParser parser_of_events(origin);
  Rewritten rewritten;
  auto take = [&](dom::element value) {
    if (!Rewrite(value, origin, sent_at, rewritten)) return false;
    Result<events::Event> event = parser_of_events.Parse(rewritten.text, "");
    if (!event.ok()) return false;
    if (rewritten.corrected_ms) {
      // posthog_event.cc's rule for a corrected time.
      if (*rewritten.corrected_ms < events::kMinTimestampMs) return false;
      event->timestamp_ms = *rewritten.corrected_ms > origin.received_at_ms + events::kMaxFutureSkewMs
                                ? origin.received_at_ms
                                : *rewritten.corrected_ms;
    }
    out.bytes += EventFootprint(*event);
    out.batch.events.push_back(std::move(*event));
    return true;
  };
  if (single) {
    if (!take(*single)) return std::nullopt;
  } else {
    for (dom::element item : items) {
      if (!take(item)) return std::nullopt;
    }
  }
  return out;
}

}  // namespace switchyard::server
