#include "events/event_parser.h"

#include <algorithm>
#include <vector>

#include "core/bounded_json.h"
#include "core/unique_keys.h"
#include "events/event_body_reader.h"

namespace switchyard::events {
namespace {

namespace dom = simdjson::dom;

// The event object is level 1 and its properties level 2; EventFromJson lets a property value
// nest kMaxPropertyDepth - 1 levels below that. Deeper text fails simdjson's parse, so the walk
// below recurses at most this deep whatever the input.
constexpr std::size_t kMaxFastDepth = kMaxPropertyDepth + 1;

bool Text(dom::element value, std::size_t max_bytes, std::string& out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return false;
  if (text.empty() || text.size() > max_bytes) return false;
  out.assign(text);
  return true;
}

// Properties kept as sent, minified, up to this size. Why a bound below kMaxPropertiesBytes: the
// limit is on the text EventFromJson writes, where a number may be longer than it was sent
// ("1e14" is 100000000000000.0, 4.25 times as long); below a fifth of the limit, the written
// text cannot pass it, so keeping the sent text never accepts what the nlohmann path refuses.
constexpr std::size_t kMaxPropertiesKeptAsSent = kMaxPropertiesBytes / 5;

// `out` = the object at `span` of `text` (a valid event: simdjson parsed it whole), minified; false
// when there is no such span or it is too large to keep as sent. The text is the sender's, so its
// escapes and numbers stay as sent; any JSON reader reads the same values from it.
bool KeepAsSent(std::string_view text, std::optional<TextSpan> span, std::string& out) {
  if (!span || span->size > kMaxPropertiesKeptAsSent || span->size < 2 || span->offset > text.size() ||
      span->size > text.size() - span->offset) {
    return false;
  }
  const std::string_view object = text.substr(span->offset, span->size);
  if (object.front() != '{' || object.back() != '}') return false;
  // simdjson::minify writes at most the input's length; the padding is for its wide stores.
  out.resize(object.size() + simdjson::SIMDJSON_PADDING);
  std::size_t written = 0;
  if (simdjson::minify(object.data(), object.size(), out.data(), written) != simdjson::SUCCESS) return false;
  out.resize(written);
  return true;
}

}  // namespace

EventParser::EventParser(const EventOrigin& origin) : origin_(origin), parser_(kMaxEventTextBytes) {
  // A small first capacity that grows to the largest event seen; the depth bound is kept. If this
  // fails (no memory), the parser tries again on the first parse, and a failure there sends each
  // event to the slow path.
  const simdjson::error_code reserved = parser_.allocate(4096, kMaxFastDepth);
  static_cast<void>(reserved);
}

Result<Event> EventParser::Parse(std::string_view text, const std::string& path,
                                 std::optional<TextSpan> lone_nested) {
  Event event;
  if (ParseFast(text, lone_nested, event)) {
    ++fast_events_;
    return event;
  }
  auto value = core::ParseBoundedJson(text);
  if (!value.ok()) return value.status();
  return EventFromJson(*value, path, origin_, uuids_);
}

bool EventParser::ParseFast(std::string_view text, std::optional<TextSpan> lone_nested, Event& event) {
  dom::element root;
  if (parser_.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return false;
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return false;

  event.project_id = origin_.project_id;
  event.environment_id = origin_.environment_id;
  event.received_at_ms = origin_.received_at_ms;
  event.timestamp_ms = origin_.received_at_ms;
  bool has_event = false;
  bool has_distinct_id = false;
  bool has_uuid = false;
  bool has_timestamp = false;
  bool has_properties = false;
  for (dom::key_value_pair member : object) {
    const std::string_view key = member.key;
    if (member.value.is_null()) {
      // Null is absence, as EventFromJson reads it; a repeat still goes to the slow path.
      bool* seen = key == "event"         ? &has_event
                   : key == "distinct_id" ? &has_distinct_id
                   : key == "uuid"        ? &has_uuid
                   : key == "timestamp"   ? &has_timestamp
                   : key == "properties"  ? &has_properties
                                          : nullptr;
      if (seen == nullptr || *seen) return false;
      *seen = true;
      if (key == "event" || key == "distinct_id") return false;  // required
      continue;
    }
    if (key == "event") {
      if (has_event || !Text(member.value, kMaxEventNameBytes, event.event)) return false;
      has_event = true;
    } else if (key == "distinct_id") {
      if (has_distinct_id || !Text(member.value, kMaxDistinctIdBytes, event.distinct_id)) return false;
      has_distinct_id = true;
    } else if (key == "uuid") {
      std::string_view uuid;
      if (has_uuid || member.value.get_string().get(uuid) != simdjson::SUCCESS) return false;
      std::optional<std::string> canonical = CanonicalUuid(uuid);
      if (!canonical) return false;
      event.uuid = std::move(*canonical);
      has_uuid = true;
    } else if (key == "timestamp") {
      std::string_view timestamp;
      if (has_timestamp || member.value.get_string().get(timestamp) != simdjson::SUCCESS) return false;
      std::optional<std::int64_t> at = ParseTimestampMs(std::string(timestamp));
      if (!at || *at < kMinTimestampMs) return false;
      event.timestamp_ms = *at > origin_.received_at_ms + kMaxFutureSkewMs ? origin_.received_at_ms : *at;
      has_timestamp = true;
    } else if (key == "properties") {
      dom::object properties;
      if (has_properties || member.value.get_object().get(properties) != simdjson::SUCCESS) return false;
      if (properties.size() > kMaxProperties) return false;
      for (dom::key_value_pair property : properties) {
        if (property.key.empty() || property.key.size() > kMaxPropertyKeyBytes) return false;
      }
      if (!core::KeysAreUnique(member.value, keys_)) return false;
      if (!KeepAsSent(text, lone_nested, event.properties)) {
        properties_text_.clear();
        properties_text_.append(member.value);
        event.properties.assign(properties_text_.str());
      }
      if (event.properties.size() > kMaxPropertiesBytes) return false;
      has_properties = true;
    } else {
      return false;  // unknown: the slow path names it and suggests the closest
    }
  }
  if (!has_event || !has_distinct_id) return false;
  // A null uuid is absent too: a new one.
  if (event.uuid.empty()) event.uuid = uuids_.Next(origin_.received_at_ms);
  return true;
}

}  // namespace switchyard::events
