#include "events/event_body_reader.h"

#include <cstring>

#include <nlohmann/json.hpp>

namespace switchyard::events {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// A member name longer than this is not one the API has.
constexpr std::size_t kMaxKeyBytes = 1024;

// Where `ch` first appears in in[from, to), or `to`.
std::size_t Find(std::string_view in, char ch, std::size_t from, std::size_t to) {
  const void* at = std::memchr(in.data() + from, ch, to - from);
  return at == nullptr ? to : static_cast<std::size_t>(static_cast<const char*>(at) - in.data());
}

constexpr std::size_t kUnknown = std::string_view::npos;

}  // namespace

EventBodyReader::EventBodyReader(OnEvent on_event, std::size_t max_events, std::size_t max_event_bytes)
    : on_event_(std::move(on_event)), max_events_(max_events), max_event_bytes_(max_event_bytes) {}

EventBodyReader::Error EventBodyReader::Fail(Error error, std::string message) {
  error_ = error;
  message_ = std::move(message);
  return error_;
}

bool EventBodyReader::ScanKey(std::string_view in, std::size_t* i) {
  const std::size_t start = *i;
  bool ended = false;
  for (; *i < in.size(); ++*i) {
    const char c = in[*i];
    if (key_escape_) {
      key_escape_ = false;
    } else if (c == '\\') {
      key_escape_ = true;
    } else if (c == '"') {
      ended = true;
      break;
    }
  }
  if (key_raw_.size() + (*i - start) <= kMaxKeyBytes)
    key_raw_.append(in.substr(start, *i - start));
  else
    key_raw_.resize(kMaxKeyBytes + 1);  // marks it too long without holding more
  if (ended) ++*i;                      // the closing quote
  return ended;
}

bool EventBodyReader::ScanValue(std::string_view in, std::size_t* i) {
  Capture& c = capture_;
  const std::size_t start = *i;
  bool ended = false;
  // Inside a string only the closing quote and escapes matter, so the scan jumps between them
  // with memchr instead of looking at every byte (a byte at a time was 7 % of ingestion's
  // instructions). The next quote's place is kept while the escapes before it are skipped, so
  // every byte is searched once: a string of backslashes costs no more than any other.
  std::size_t quote_at = kUnknown;
  while (*i < in.size()) {
    if (c.in_string) {
      if (c.escape) {
        c.escape = false;
        ++*i;
        continue;
      }
      if (quote_at == kUnknown || quote_at < *i) quote_at = Find(in, '"', *i, in.size());
      const std::size_t backslash_at = Find(in, '\\', *i, quote_at);
      if (backslash_at < quote_at) {
        c.escape = true;
        *i = backslash_at + 1;
        continue;
      }
      *i = quote_at;  // the piece's end when the string goes on in the next one
      if (quote_at == in.size()) break;
      ++*i;
      c.in_string = false;
      if (c.depth == 0) {
        ended = true;
        break;
      }
      continue;
    }
    const char ch = in[*i];
    if (c.scalar) {
      // The delimiter belongs to the structure around the scalar: not consumed.
      if (IsSpace(ch) || ch == ',' || ch == ']' || ch == '}') {
        ended = true;
        break;
      }
      ++*i;
      continue;
    }
    if (ch == '"') {
      c.in_string = true;
    } else if (ch == '{' || ch == '[') {
      if (++c.depth == 2) {
        ++c.nested;
        c.nested_start = c.text.size() + (*i - start);
      }
    } else if ((ch == '}' || ch == ']') && c.depth > 0) {
      if (c.depth == 2) c.nested_end = c.text.size() + (*i - start) + 1;
      if (--c.depth == 0) {
        ++*i;
        ended = true;
        break;
      }
    }
    ++*i;
  }
  const std::size_t length = *i - start;
  if (!c.oversized && c.text.size() + length > c.limit) {
    c.oversized = true;
    c.text = std::string();  // release what was held: the value is refused whatever follows
  }
  if (!c.oversized) c.text.append(in.substr(start, length));
  return ended;
}

std::optional<TextSpan> EventBodyReader::lone_nested_value() const {
  if (capture_.oversized || capture_.nested != 1 || capture_.nested_end <= capture_.nested_start)
    return std::nullopt;
  return TextSpan{capture_.nested_start, capture_.nested_end - capture_.nested_start};
}

EventBodyReader::Error EventBodyReader::StartValue(char first, std::size_t limit) {
  if (first == ',' || first == ':' || first == ']' || first == '}') {
    return Fail(Error::kMalformed, std::string("expected a JSON value, found '") + first + "'");
  }
  capture_ = Capture{};
  capture_.scalar = first != '{' && first != '[' && first != '"';
  capture_.limit = limit;
  return Error::kNone;
}

EventBodyReader::Error EventBodyReader::EndKey() {
  if (key_raw_.size() > kMaxKeyBytes)
    return Fail(Error::kMalformed, "a member name is longer than 1024 bytes");
  // The scan found the quotes; JSON decodes the escapes (and rejects bad ones).
  nlohmann::json name = nlohmann::json::parse("\"" + key_raw_ + "\"", nullptr, /*allow_exceptions=*/false);
  if (!name.is_string()) return Fail(Error::kMalformed, "a member name is not a valid JSON string");
  key_ = name.get<std::string>();
  if (!keys_seen_.insert(key_).second) {
    return Fail(Error::kMalformed, "the member '" + key_.substr(0, 64) + "' is given twice");
  }
  state_ = State::kBeforeColon;
  return Error::kNone;
}

void EventBodyReader::EndValue() {
  if (state_ == State::kInElement) {
    on_event_(events_, capture_.oversized ? std::string_view() : std::string_view(capture_.text),
              capture_.oversized);
    ++events_;
    state_ = State::kAfterElement;
  } else {
    members_bytes_ += capture_.text.size() + key_.size();
    if (capture_.oversized || members_bytes_ > max_event_bytes_) members_oversized_ = true;
    if (!members_oversized_) members_.emplace_back(key_, std::move(capture_.text));
    state_ = State::kAfterMember;
  }
  capture_.text = std::string();
}

EventBodyReader::Error EventBodyReader::Feed(std::string_view in) {
  std::size_t i = 0;
  while (error_ == Error::kNone && i < in.size()) {
    if (state_ == State::kInValue || state_ == State::kInElement) {
      if (ScanValue(in, &i)) EndValue();
      continue;
    }
    if (state_ == State::kInKey) {
      if (ScanKey(in, &i)) EndKey();
      continue;
    }
    const char c = in[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    switch (state_) {
      case State::kBeforeObject:
        if (c != '{') return Fail(Error::kMalformed, "the body must be a JSON object");
        state_ = State::kBeforeKey;
        first_ = true;
        ++i;
        break;
      case State::kBeforeKey:
        if (c == '}' && first_) {
          state_ = State::kDone;
        } else if (c == '"') {
          key_raw_.clear();
          key_escape_ = false;
          state_ = State::kInKey;
        } else {
          return Fail(Error::kMalformed, "expected a member name in quotes");
        }
        ++i;
        break;
      case State::kBeforeColon:
        if (c != ':') return Fail(Error::kMalformed, "expected ':' after a member name");
        state_ = State::kBeforeValue;
        ++i;
        break;
      case State::kBeforeValue:
        if (key_ == "batch" && c == '[') {
          saw_batch_ = true;
          state_ = State::kBeforeElement;
          first_ = true;
          ++i;
        } else if (StartValue(c, max_event_bytes_) == Error::kNone) {
          state_ = State::kInValue;  // c is scanned as the value's first character
        }
        break;
      case State::kAfterMember:
        if (c == ',') {
          state_ = State::kBeforeKey;
          first_ = false;
        } else if (c == '}') {
          state_ = State::kDone;
        } else {
          return Fail(Error::kMalformed, "expected ',' or '}' after a member");
        }
        ++i;
        break;
      case State::kBeforeElement:
        if (c == ']' && first_) {
          state_ = State::kAfterMember;
          ++i;
        } else if (events_ == max_events_) {
          return Fail(Error::kTooManyEvents,
                      "a batch holds at most " + std::to_string(max_events_) + " events");
        } else if (StartValue(c, max_event_bytes_) == Error::kNone) {
          state_ = State::kInElement;
        }
        break;
      case State::kAfterElement:
        if (c == ',') {
          state_ = State::kBeforeElement;
          first_ = false;
        } else if (c == ']') {
          state_ = State::kAfterMember;
        } else {
          return Fail(Error::kMalformed, "expected ',' or ']' after an event in batch");
        }
        ++i;
        break;
      case State::kDone: return Fail(Error::kMalformed, "unexpected data after the JSON object");
      case State::kInKey:
      case State::kInValue:
      case State::kInElement: break;  // handled above
    }
  }
  return error_;
}

EventBodyReader::Error EventBodyReader::Finish() {
  if (error_ != Error::kNone) return error_;
  // A scalar member value ends only at its delimiter; the body cannot end inside one validly.
  if (state_ == State::kBeforeObject) return Fail(Error::kMalformed, "the body is empty");
  if (state_ != State::kDone) return Fail(Error::kMalformed, "the body ends before its JSON object does");
  return Error::kNone;
}

}  // namespace switchyard::events
