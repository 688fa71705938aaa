// PostHog events mapped onto ours: where the distinct_id may be, $set moved into properties, the
// token dropped, clocks corrected, and the checks of every event still applied.
#include "server/posthog_event.h"

#include <gtest/gtest.h>

namespace switchyard::server {
namespace {

using nlohmann::json;

const events::EventOrigin kOrigin{1, 2, 1'800'000'000'000};  // 2027-01-15T08:00:00Z

Result<events::Event> Map(json value, std::optional<std::int64_t> sent_at = std::nullopt) {
  return PostHogEventFromJson(value, "batch[0]", kOrigin, sent_at);
}

TEST(PostHogEventTest, PosthogNodeEventMapsFieldForField) {
  auto event = Map({{"event", "signed up"},
                    {"distinct_id", "u1"},
                    {"properties", {{"plan", "pro"}, {"$lib", "posthog-node"}}},
                    {"timestamp", "2027-01-15T07:59:00.000Z"},
                    {"uuid", "0190A1B2-C3D4-7E5F-8A9B-000000000001"},
                    {"type", "capture"},
                    {"library", "posthog-node"}});
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->event, "signed up");
  EXPECT_EQ(event->distinct_id, "u1");
  EXPECT_EQ(event->uuid, "0190a1b2-c3d4-7e5f-8a9b-000000000001");
  EXPECT_EQ(event->timestamp_ms, kOrigin.received_at_ms - 60'000);
  EXPECT_EQ(json::parse(event->properties), json({{"plan", "pro"}, {"$lib", "posthog-node"}}));
  EXPECT_EQ(event->project_id, 1);
  EXPECT_EQ(event->environment_id, 2);
}

TEST(PostHogEventTest, DistinctIdFromPropertiesOrANumberAndTheTokenDropped) {
  auto event =
      Map({{"event", "$pageview"}, {"properties", {{"distinct_id", "anon-1"}, {"token", "sy_proj_x"}}}});
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->distinct_id, "anon-1");
  EXPECT_FALSE(json::parse(event->properties).contains("token"));
  auto numeric = Map({{"event", "e"}, {"distinct_id", 42}});
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->distinct_id, "42");
}

TEST(PostHogEventTest, TopLevelSetAndSetOnceMoveIntoProperties) {
  auto event = Map({{"event", "$identify"},
                    {"distinct_id", "u1"},
                    {"$set", {{"plan", "pro"}}},
                    {"$set_once", {{"first", "x"}}},
                    {"properties", {{"$anon_distinct_id", "a1"}}}});
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(
      json::parse(event->properties),
      json({{"$anon_distinct_id", "a1"}, {"$set", {{"plan", "pro"}}}, {"$set_once", {{"first", "x"}}}}));
  // Properties' own $set wins over a top-level one.
  auto inner = Map({{"event", "$identify"},
                    {"distinct_id", "u1"},
                    {"$set", {{"a", 1}}},
                    {"properties", {{"$set", {{"b", 2}}}}}});
  EXPECT_EQ(json::parse(inner->properties), json({{"$set", {{"b", 2}}}}));
}

TEST(PostHogEventTest, SentAtCorrectsTheClientClock) {
  // The client's clock is 10 minutes fast: it says it sent at 08:10 an event of 08:09.
  auto event = Map({{"event", "e"}, {"distinct_id", "u"}, {"timestamp", "2027-01-15T08:09:00Z"}},
                   kOrigin.received_at_ms + 600'000);
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(event->timestamp_ms, kOrigin.received_at_ms - 60'000);
  auto offset = Map({{"event", "e"}, {"distinct_id", "u"}, {"offset", 5000}});
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(offset->timestamp_ms, kOrigin.received_at_ms - 5000);
  auto none = Map({{"event", "e"}, {"distinct_id", "u"}});
  EXPECT_EQ(none->timestamp_ms, kOrigin.received_at_ms);
}

TEST(PostHogEventTest, MissingNameOrIdAndBadFieldsAreNamed) {
  EXPECT_EQ(Map({{"distinct_id", "u"}}).status().field(), "batch[0].event");
  EXPECT_EQ(Map({{"event", ""}, {"distinct_id", "u"}}).status().field(), "batch[0].event");
  EXPECT_EQ(Map({{"event", "e"}}).status().field(), "batch[0].distinct_id");
  EXPECT_EQ(Map({{"event", "e"}, {"distinct_id", "u"}, {"properties", 3}}).status().field(),
            "batch[0].properties");
  EXPECT_EQ(Map({{"event", "e"}, {"distinct_id", "u"}, {"uuid", "nope"}}).status().field(), "batch[0].uuid");
  EXPECT_EQ(Map({{"event", "e"}, {"distinct_id", "u"}, {"timestamp", "yesterday"}}).status().field(),
            "batch[0].timestamp");
  EXPECT_EQ(Map(json::array()).status().field(), "batch[0]");
}

}  // namespace
}  // namespace switchyard::server
