// EventBodyReader: splits a POST /api/v1/events body, fed piece by piece as the socket delivers
// it, into the raw JSON text of each event, so the body is never held whole: only the event being
// read is buffered, and each complete one is handed on (to be parsed, checked and kept in its
// compact stored form) before the next is read.
//
// The body is one JSON object: {"batch": [event, ...]} or the members of a single event. The
// reader follows only the structure (strings, escapes, nesting) to find where each value ends;
// the values themselves are parsed afterwards (core::ParseBoundedJson), which rejects what the
// scan let through (bad literals, invalid UTF-8, depth). Thread: one caller at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/event.h"

namespace switchyard::events {

// An event's text (whitespace and escapes included) may be this large; its properties are
// checked against kMaxPropertiesBytes once compact.
inline constexpr std::size_t kMaxEventTextBytes = 256 * 1024;

// A part of a text, by position.
struct TextSpan {
  std::size_t offset = 0;
  std::size_t size = 0;
};

class EventBodyReader {
 public:
  enum class Error {
    kNone,
    kMalformed,      // not a JSON object of the expected shape: 400
    kTooManyEvents,  // more than max_events in "batch": 413
  };
  // Each element of "batch", in order: its index and text; `oversized` (and empty text) when it
  // was longer than max_event_bytes.
  using OnEvent = std::function<void(std::size_t index, std::string_view text, bool oversized)>;

  EventBodyReader(OnEvent on_event, std::size_t max_events = kMaxBatchEvents,
                  std::size_t max_event_bytes = kMaxEventTextBytes);

  // The next piece of the body. After an error every later call returns it again.
  Error Feed(std::string_view piece);
  // The body has ended: kMalformed unless it held exactly one complete object.
  Error Finish();
  const std::string& message() const { return message_; }

  // During OnEvent: where, in the event's text, its one member value that is an object or an array
  // sits (an event's "properties"), when it has exactly one; nullopt when it has none or several.
  // Found by the scan at no extra pass, so the parser can keep that value's text as it was sent.
  std::optional<TextSpan> lone_nested_value() const;

  // Whether the body had "batch" as an array.
  bool is_batch() const { return saw_batch_; }
  std::size_t events() const { return events_; }
  // The other top-level members (the single-event form), name and raw value text, in order.
  const std::vector<std::pair<std::string, std::string>>& members() const { return members_; }
  // The members' text was longer than max_event_bytes in all (then members() is incomplete).
  bool members_oversized() const { return members_oversized_; }

 private:
  enum class State {
    kBeforeObject,
    kBeforeKey,
    kInKey,
    kBeforeColon,
    kBeforeValue,
    kInValue,  // a member's value
    kAfterMember,
    kBeforeElement,
    kInElement,  // an element of "batch"
    kAfterElement,
    kDone,
  };
  // The value being read: where it ends is known from these alone.
  struct Capture {
    std::string text;
    std::size_t depth = 0;
    bool in_string = false;
    bool escape = false;
    bool scalar = false;
    bool oversized = false;
    std::size_t limit = 0;
    std::size_t nested = 0;  // values opened at depth 2: the members of the captured object
    std::size_t nested_start = 0;
    std::size_t nested_end = 0;  // past the last one's closing bracket
  };

  Error Fail(Error error, std::string message);
  // Scans the value being captured from in[*i]; true when it ended (in[*i] is then past it).
  bool ScanValue(std::string_view in, std::size_t* i);
  bool ScanKey(std::string_view in, std::size_t* i);
  Error StartValue(char first, std::size_t limit);
  Error EndKey();
  void EndValue();

  OnEvent on_event_;
  const std::size_t max_events_;
  const std::size_t max_event_bytes_;
  State state_ = State::kBeforeObject;
  bool first_ = true;  // no member / element yet in the current object / array
  Error error_ = Error::kNone;
  std::string message_;
  std::string key_raw_;
  bool key_escape_ = false;
  std::string key_;
  std::set<std::string> keys_seen_;
  Capture capture_;
  bool saw_batch_ = false;
  std::size_t events_ = 0;
  std::vector<std::pair<std::string, std::string>> members_;
  std::size_t members_bytes_ = 0;
  bool members_oversized_ = false;
};

}  // namespace switchyard::events
