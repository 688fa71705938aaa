// EventParser: an event's JSON text, as sent, to its stored form (the rules are EventFromJson's,
// event_json.h), for the events of one request.
//
// Why two parsers: the rules' one implementation builds nlohmann's DOM (core::ParseBoundedJson),
// checks it and dumps the properties back to compact text; at 150,000 events/s that was a third of
// the server's CPU (an allocation per value, then the dump). simdjson parses, walks and minifies a
// valid event several times faster. Its fast path only accepts: anything it does not accept
// outright (a parse error, an unknown or repeated key, a limit, a type it does not expect) is
// handed to the nlohmann path, which decides and words the error. So errors keep one source, and
// the fast path only has to be right about what is valid — tests/events/event_parser_test.cc
// holds the two to the same answers. The stored properties keep the sender's key order (the DOM
// path sorts them); both are the same JSON object.
//
// Thread: one at a time (make one per request: it reuses its buffers from event to event).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "events/event_body_reader.h"
#include "events/event_json.h"
#include "events/uuid.h"

namespace switchyard::events {

class EventParser {
 public:
  explicit EventParser(const EventOrigin& origin);

  // The event of `text` (one JSON object), or InvalidArgument naming the field under `path`
  // exactly as EventFromJson(core::ParseBoundedJson(text)) would; a `text` that is not JSON at
  // all gives ParseBoundedJson's error (no field).
  // `lone_nested` is EventBodyReader::lone_nested_value() for `text`: with it, properties sent
  // as compact text (or nearly) are kept as sent, minified, instead of written back from the
  // DOM (a third of the fast path's instructions). Without it, or for large properties, they
  // are written back.
  Result<Event> Parse(std::string_view text, const std::string& path,
                      std::optional<TextSpan> lone_nested = std::nullopt);

  // How many events took the fast path (for tests).
  std::size_t fast_events() const { return fast_events_; }

 private:
  // The event when every rule is met on the fast path; false when the nlohmann path must decide.
  bool ParseFast(std::string_view text, std::optional<TextSpan> lone_nested, Event& event);

  EventOrigin origin_;
  UuidV7Generator uuids_;
  simdjson::dom::parser parser_;
  std::vector<std::string_view> keys_;  // scratch for the repeated-key check
  // Writes the properties back as text. simdjson::to_string makes a new builder per call, whose
  // buffer then grows a character at a time: ~2 k instructions of each stored event. This one
  // keeps its buffer across events. (simdjson::internal: the builder to_string itself uses.)
  simdjson::internal::string_builder<> properties_text_;
  std::size_t fast_events_ = 0;
};

}  // namespace switchyard::events
