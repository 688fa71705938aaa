// EventParser against the rules' reference path (core::ParseBoundedJson + EventFromJson): the
// same event, or the same error, for every input; and valid events take the fast path.
#include "events/event_parser.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

#include "core/bounded_json.h"
#include "events/event_body_reader.h"
#include "events/event_test_origin.h"

namespace switchyard::events {
namespace {

using nlohmann::json;

using test_support::kNow;
using test_support::kOrigin;

Result<Event> Reference(std::string_view text) {
  auto value = core::ParseBoundedJson(text);
  if (!value.ok()) return value.status();
  return EventFromJson(*value, "batch[4]", kOrigin);
}

// `text` parsed as POST /api/v1/events parses it: read from a batch by EventBodyReader, whose
// lone_nested_value() lets the parser keep the properties as sent. nullopt when the reader does
// not hand over `text` as one event (it is not one JSON value).
std::optional<Result<Event>> ParseAsBatchElement(const std::string& text, EventParser& parser) {
  std::optional<Result<Event>> parsed;
  int events = 0;
  const EventBodyReader* reading = nullptr;
  EventBodyReader reader([&](std::size_t, std::string_view element, bool oversized) {
    ++events;
    if (!oversized && element == text)
      parsed = parser.Parse(element, "batch[4]", reading->lone_nested_value());
  });
  reading = &reader;
  if (reader.Feed("{\"batch\":[" + text + "]}") != EventBodyReader::Error::kNone) return std::nullopt;
  if (reader.Finish() != EventBodyReader::Error::kNone || events != 1) return std::nullopt;
  return parsed;
}

// Both paths agree on `text`: the same error, or the same event (a uuid the server made up is
// random on both sides, so only its form is compared). Returns whether the parser's fast path
// took it; `valid` (if given) counts the inputs the reference accepted. The parser is checked as
// called alone and as called for a batch's element.
bool ExpectSameAnswer(const std::string& text, int* valid = nullptr) {
  EventParser element_parser(kOrigin);
  if (auto element = ParseAsBatchElement(text, element_parser)) {
    EventParser alone(kOrigin);
    Result<Event> fast = alone.Parse(text, "batch[4]");
    EXPECT_EQ(element->ok(), fast.ok()) << text;
    EXPECT_EQ(element_parser.fast_events(), alone.fast_events()) << text;
    if (element->ok() && fast.ok()) {
      EXPECT_EQ((*element)->event, fast->event) << text;
      EXPECT_EQ((*element)->distinct_id, fast->distinct_id) << text;
      EXPECT_EQ((*element)->timestamp_ms, fast->timestamp_ms) << text;
      EXPECT_EQ(json::parse((*element)->properties), json::parse(fast->properties)) << text;
      EXPECT_LE((*element)->properties.size(), kMaxPropertiesBytes) << text;
    } else if (!element->ok() && !fast.ok()) {
      EXPECT_EQ(element->status().ToString(), fast.status().ToString()) << text;
    }
  }
  EventParser parser(kOrigin);
  Result<Event> fast = parser.Parse(text, "batch[4]");
  Result<Event> reference = Reference(text);
  if (valid != nullptr && reference.ok()) ++*valid;
  EXPECT_EQ(fast.ok(), reference.ok()) << text << "\n"
                                       << (fast.ok() ? reference.status() : fast.status()).ToString();
  if (!fast.ok() || !reference.ok()) {
    if (!fast.ok() && !reference.ok()) {
      EXPECT_EQ(fast.status().ToString(), reference.status().ToString()) << text;
      EXPECT_EQ(fast.status().field(), reference.status().field()) << text;
    }
    return parser.fast_events() == 1;
  }
  EXPECT_EQ(fast->event, reference->event) << text;
  EXPECT_EQ(fast->distinct_id, reference->distinct_id) << text;
  EXPECT_EQ(fast->timestamp_ms, reference->timestamp_ms) << text;
  EXPECT_EQ(fast->received_at_ms, reference->received_at_ms) << text;
  EXPECT_EQ(fast->project_id, reference->project_id) << text;
  EXPECT_EQ(fast->environment_id, reference->environment_id) << text;
  EXPECT_EQ(json::parse(fast->properties), json::parse(reference->properties)) << text;
  EXPECT_EQ(fast->uuid.size(), 36u) << text;
  if (text.find("\"uuid\":\"") != std::string::npos) {
    EXPECT_EQ(fast->uuid, reference->uuid) << text;
  }
  return parser.fast_events() == 1;
}

TEST(EventParser, ValidEventsTakeTheFastPathAndMatchTheReference) {
  const std::string valid[] = {
      R"({"event":"signup","distinct_id":"u1"})",
      R"({"event":"signup","distinct_id":"u1","properties":{}})",
      R"({"event":"$ai_generation","distinct_id":"u1","properties":{"$ai_latency":1.25,"$ai_input_tokens":120,"model":"m","ok":true,"none":null}})",
      R"( { "event" : "e" , "distinct_id" : "u" , "properties" : { "b" : [1, 2.5, -3e2, "x", {"c": [null]}], "a" : "\u00e9\n\"" } } )",
      R"({"event":"e","distinct_id":"u","uuid":"0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"})",
      R"({"event":"e","distinct_id":"u","uuid":null,"timestamp":null,"properties":null})",
      R"({"event":"e","distinct_id":"u","timestamp":"2026-11-21T10:00:00.123+02:00"})",
      R"({"event":"e","distinct_id":"u","timestamp":"2099-01-01T00:00:00Z"})",
      R"({"event":"e","distinct_id":"u","properties":{"deep":{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}}})",
      R"({"event":"e","distinct_id":"u","properties":{"same":{"k":1},"other":{"k":2}}})",
  };
  for (const auto& text : valid) EXPECT_TRUE(ExpectSameAnswer(text)) << text;
}

// In a batch, properties are kept as sent, only minified: escapes and numbers as the sender
// wrote them. Large ones (where a number written back could be longer than sent) are written back.
TEST(EventParser, KeepsABatchElementsPropertiesAsSent) {
  EventParser parser(kOrigin);
  const std::string text =
      R"({ "event" : "e" , "distinct_id" : "u" , "properties" : { "a" : "\u00e9 \n" , "n" : [ 1e2 , -0.50 ] } })";
  auto kept = ParseAsBatchElement(text, parser);
  ASSERT_TRUE(kept && kept->ok()) << text;
  EXPECT_EQ((*kept)->properties, R"({"a":"\u00e9 \n","n":[1e2,-0.50]})");
  EXPECT_EQ(parser.fast_events(), 1u);

  std::string large = R"({"event":"e","distinct_id":"u","properties":{"n":[)";
  for (int i = 0; i < 1500; ++i) large += i == 0 ? "1e14" : ",1e14";  // 7.5 KB sent, 27 KB written
  large += "]}}";
  auto written = ParseAsBatchElement(large, parser);
  ASSERT_TRUE(written && written->ok());
  EXPECT_EQ((*written)->properties.find("1e14"), std::string::npos);
  EXPECT_NE((*written)->properties.find("100000000000000.0"), std::string::npos);
  EXPECT_TRUE(ExpectSameAnswer(large));
}

TEST(EventParser, InvalidEventsGetTheReferenceError) {
  const std::string invalid[] = {
      R"([])",
      R"("event")",
      R"({"event":"e"})",
      R"({"distinct_id":"u"})",
      R"({"event":"","distinct_id":"u"})",
      R"({"event":"e","distinct_id":7})",
      R"({"event":null,"distinct_id":"u"})",
      R"({"event":"e","distinct_id":"u","evnt":"x"})",
      R"({"event":"e","distinct_id":"u","event":"f"})",
      R"({"event":"e","distinct_id":"u","properties":[]})",
      R"({"event":"e","distinct_id":"u","properties":{"":1}})",
      R"({"event":"e","distinct_id":"u","properties":{"a":1,"a":2}})",
      R"({"event":"e","distinct_id":"u","properties":{"a":{"b":1,"b":2}}})",
      R"({"event":"e","distinct_id":"u","properties":{"deep":{"a":{"b":{"c":{"d":{"e":{"f":{"g":1}}}}}}}}})",
      R"({"event":"e","distinct_id":"u","uuid":"not-a-uuid"})",
      R"({"event":"e","distinct_id":"u","uuid":12})",
      R"({"event":"e","distinct_id":"u","timestamp":"yesterday"})",
      R"({"event":"e","distinct_id":"u","timestamp":"1999-12-31T23:59:59Z"})",
      R"({"event":"e","distinct_id":"u","properties":{"n":1e999}})",
      "{\"event\":\"e\",\"distinct_id\":\"\xff\xfe\"}",
      R"({"event":"e","distinct_id":"u",})",
      R"({"event":"e","distinct_id":"u"} x)",
      R"({"event":"e","distinct_id":")" + std::string(401, 'x') + R"("})",
      R"({"event":"e","distinct_id":"u","properties":{"big":")" + std::string(40 * 1024, 'x') + R"("}})",
  };
  for (const auto& text : invalid) EXPECT_FALSE(ExpectSameAnswer(text)) << text;
}

// Seeded random events built from parts that are each valid or not, so that every rule is
// crossed with the others; the two paths must agree on all of them.
TEST(EventParser, AgreesWithTheReferenceOnRandomEvents) {
  std::mt19937 random(20261129);
  auto pick = [&](std::initializer_list<std::string> options) {
    std::vector<std::string> all(options);
    return all[random() % all.size()];
  };
  std::function<std::string(int)> value = [&](int depth) -> std::string {
    switch (random() % (depth > 9 ? 4 : 7)) {
      case 0: return std::to_string(static_cast<int>(random() % 2000) - 1000);
      case 1: return pick({"true", "false", "null", "1.5e3", "-0.25", "12345678901234567890123"});
      case 2: return pick({R"("x")", R"("\u00fc\t")", R"("")", "\"" + std::string(300, 'y') + "\""});
      case 3: return pick({R"("2026-01-01")", R"("a\"b")"});
      case 4: return "[" + value(depth + 1) + "," + value(depth + 1) + "]";
      default: {
        std::string object = "{";
        const int members = static_cast<int>(random() % 4);
        for (int i = 0; i < members; ++i) {
          if (i > 0) object += ",";
          object += pick({R"("k")", R"("a")", R"("b")", R"("")"}) + ":" + value(depth + 1);
        }
        return object + "}";
      }
    }
  };
  int fast = 0;
  int valid = 0;
  for (int i = 0; i < 5000; ++i) {
    std::vector<std::string> members;
    if (random() % 10 != 0)
      members.push_back(R"("event":)" +
                        pick({R"("e")", R"("$pageview")", R"("signup")", R"("")", "1", "null"}));
    if (random() % 10 != 0)
      members.push_back(R"("distinct_id":)" +
                        pick({R"("u")", R"("user-9")", R"("\u00e9")", "[]", "null", R"("")"}));
    if (random() % 2 == 0) members.push_back(R"("properties":)" + value(2));
    if (random() % 4 == 0)
      members.push_back(R"("uuid":)" + pick({R"("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")", R"("x")", "null"}));
    if (random() % 4 == 0)
      members.push_back(R"("timestamp":)" +
                        pick({R"("2026-11-21T10:00:00Z")", R"("2026-11-21")", "0", "null"}));
    if (random() % 20 == 0) members.push_back(R"("extra":1)");
    if (random() % 20 == 0 && !members.empty()) members.push_back(members.front());
    std::shuffle(members.begin(), members.end(), random);
    std::string text = "{";
    for (std::size_t m = 0; m < members.size(); ++m) text += (m > 0 ? "," : "") + members[m];
    text += "}";
    fast += ExpectSameAnswer(text, &valid) ? 1 : 0;
    if (HasFailure()) break;
  }
  // Enough valid events that the fast path is exercised, and it takes nearly all of them (the
  // rest hold an integer past 64 bits, which only the reference path reads).
  EXPECT_GT(valid, 300);
  EXPECT_GT(fast, valid * 8 / 10);
  EXPECT_LE(fast, valid);
}

TEST(EventParser, DrawsADistinctUuidForEachEventWithout) {
  EventParser parser(kOrigin);
  std::set<std::string> uuids;
  for (int i = 0; i < 100; ++i) {
    auto event = parser.Parse(R"({"event":"e","distinct_id":"u"})", "batch[0]");
    ASSERT_TRUE(event.ok());
    EXPECT_TRUE(uuids.insert(event->uuid).second);
  }
  EXPECT_EQ(parser.fast_events(), 100u);
}

}  // namespace
}  // namespace switchyard::events
