#include "events/event_body_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::events {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using Error = EventBodyReader::Error;

struct Read {
  Error error = Error::kNone;
  std::vector<std::string> events;  // "<oversized>" for an oversized one
  EventBodyReader* reader = nullptr;
};

// Feeds `body` in pieces of `piece` bytes, so every split point is exercised.
Read ReadBody(EventBodyReader& reader, std::vector<std::string>& events, const std::string& body,
              std::size_t piece) {
  Read out;
  for (std::size_t at = 0; at < body.size() && out.error == Error::kNone; at += piece) {
    out.error = reader.Feed(std::string_view(body).substr(at, piece));
  }
  if (out.error == Error::kNone) out.error = reader.Finish();
  out.events = events;
  return out;
}

class ReaderTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  Read Parse(const std::string& body, std::size_t max_events = 1000, std::size_t max_bytes = 1024) {
    events_.clear();
    reader_ = std::make_unique<EventBodyReader>(
        [this](std::size_t index, std::string_view text, bool oversized) {
          EXPECT_EQ(index, events_.size());
          events_.push_back(oversized ? "<oversized>" : std::string(text));
        },
        max_events, max_bytes);
    return ReadBody(*reader_, events_, body, GetParam());
  }
  std::vector<std::string> events_;
  std::unique_ptr<EventBodyReader> reader_;
};

TEST_P(ReaderTest, SplitsABatchIntoItsEvents) {
  Read read = Parse(R"( { "batch" : [ {"event":"a","p":{"s":"}]\"{["}} , {"event":"b"},"x",12 , null ] } )");
  EXPECT_EQ(read.error, Error::kNone) << reader_->message();
  EXPECT_THAT(read.events,
              ElementsAre(R"({"event":"a","p":{"s":"}]\"{["}})", R"({"event":"b"})", R"("x")", "12", "null"));
  EXPECT_TRUE(reader_->is_batch());
  EXPECT_EQ(reader_->events(), 5u);
  EXPECT_TRUE(reader_->members().empty());
}

TEST_P(ReaderTest, EndsStringsOnlyAtAnUnescapedQuote) {
  // An escaped backslash before the closing quote, an escaped quote after escaped backslashes,
  // brackets inside strings, and a long run of escapes.
  const std::string run = std::string(64, '\\');
  Read read = Parse(R"({"batch":[{"s":"x\\"},{"s":"\\\"q\\"},{"s":"]}\u0022{["},{"s":")" + run + R"("}]})");
  EXPECT_EQ(read.error, Error::kNone) << reader_->message();
  EXPECT_THAT(read.events, ElementsAre(R"({"s":"x\\"})", R"({"s":"\\\"q\\"})", R"({"s":"]}\u0022{["})",
                                       R"({"s":")" + run + R"("})"));
}

TEST_P(ReaderTest, CollectsTheMembersOfASingleEvent) {
  Read read = Parse(R"({"event": "signup", "properties": {"a": [1, {"b": "]"}]}, "n": -1.5e3, "t": true})");
  EXPECT_EQ(read.error, Error::kNone) << reader_->message();
  EXPECT_FALSE(reader_->is_batch());
  EXPECT_THAT(reader_->members(),
              ElementsAre(Pair("event", R"("signup")"), Pair("properties", R"({"a": [1, {"b": "]"}]})"),
                          Pair("n", "-1.5e3"), Pair("t", "true")));
}

TEST_P(ReaderTest, DecodesEscapedMemberNames) {
  Read read = Parse(R"({"b\u0061tch": [{}], "k\"ey": 1})");
  EXPECT_EQ(read.error, Error::kNone) << reader_->message();
  EXPECT_TRUE(reader_->is_batch());
  EXPECT_THAT(reader_->members(), ElementsAre(Pair("k\"ey", "1")));
}

TEST_P(ReaderTest, AcceptsEmptyObjectAndEmptyBatch) {
  EXPECT_EQ(Parse("{}").error, Error::kNone);
  EXPECT_EQ(Parse(R"({"batch": []})").error, Error::kNone);
  EXPECT_TRUE(reader_->is_batch());
  EXPECT_EQ(reader_->events(), 0u);
}

TEST_P(ReaderTest, RefusesWhatIsNotOneObject) {
  for (const char* body : {"", "   ", "[]", "{", R"({"batch": [{}])", R"({"batch": [{},]})", R"({"a" 1})",
                           R"({"a": 1,})", R"({"a": 1} x)", R"({"a": 1 "b": 2})", R"({a: 1})",
                           R"({"batch": [{} {}]})", R"({"a": ,})", R"({"a": 1, "a": 2})"}) {
    EXPECT_EQ(Parse(body).error, Error::kMalformed) << body;
    EXPECT_FALSE(reader_->message().empty()) << body;
  }
}

TEST_P(ReaderTest, StopsAtTheEventPastTheLimit) {
  Read read = Parse(R"({"batch": [{}, {}, {}]})", /*max_events=*/2);
  EXPECT_EQ(read.error, Error::kTooManyEvents);
  EXPECT_EQ(read.events.size(), 2u);
  EXPECT_EQ(Parse(R"({"batch": [{}, {}]})", 2).error, Error::kNone);
}

TEST_P(ReaderTest, MarksAnOversizedEventAndReadsOn) {
  const std::string big = "{\"s\":\"" + std::string(2000, 'x') + "\"}";
  Read read = Parse(R"({"batch": [{"a":1},)" + big + R"(,{"b":2}]})", 1000, /*max_bytes=*/100);
  EXPECT_EQ(read.error, Error::kNone) << reader_->message();
  EXPECT_THAT(read.events, ElementsAre(R"({"a":1})", "<oversized>", R"({"b":2})"));
}

TEST_P(ReaderTest, MarksOversizedSingleEventMembers) {
  Read read = Parse("{\"event\":\"" + std::string(2000, 'x') + "\"}", 1000, 100);
  EXPECT_EQ(read.error, Error::kNone);
  EXPECT_TRUE(reader_->members_oversized());
}

// Where an element's one object-or-array member sits, across every split of the body; none when
// it has several or none.
TEST_P(ReaderTest, FindsTheLoneNestedValueOfEachEvent) {
  std::vector<std::string> lone;
  reader_ = std::make_unique<EventBodyReader>([&](std::size_t, std::string_view text, bool) {
    auto span = reader_->lone_nested_value();
    lone.push_back(span ? std::string(text.substr(span->offset, span->size)) : "<none>");
  });
  const std::string body =
      R"({"batch":[{"event":"a","properties": {"s":"}]\"{[","n":[1,{"x":2}]} },)"
      R"({"event":"b"},{"p":{},"q":[]},{"p":"{"},[[1],{}],{"properties":[ {"a":1} ]},"x"]})";
  Read read = ReadBody(*reader_, events_, body, GetParam());
  EXPECT_EQ(read.error, Error::kNone) << reader_->message();
  EXPECT_THAT(lone, ElementsAre(R"({"s":"}]\"{[","n":[1,{"x":2}]})", "<none>", "<none>", "<none>", "<none>",
                                R"([ {"a":1} ])", "<none>"));
}

INSTANTIATE_TEST_SUITE_P(PieceSizes, ReaderTest, ::testing::Values(1, 2, 3, 7, 64, 1 << 20));

}  // namespace
}  // namespace switchyard::events
