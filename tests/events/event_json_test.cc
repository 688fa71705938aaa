#include "events/event_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "events/event_test_origin.h"
#include "events/uuid.h"

namespace switchyard::events {
namespace {

using nlohmann::json;

using test_support::kNow;
using test_support::kOrigin;

Event Must(const Result<Event>& event) {
  EXPECT_TRUE(event.ok()) << event.status().ToString();
  return event.ok() ? *event : Event{};
}

Status ErrorOf(const json& value, const std::string& path = "batch[2]") {
  auto event = EventFromJson(value, path, kOrigin);
  EXPECT_FALSE(event.ok()) << value.dump();
  return event.ok() ? Status::Ok() : event.status();
}

TEST(EventFromJson, ReadsEveryField) {
  Event event = Must(EventFromJson(json{{"event", "signup"},
                                        {"distinct_id", "u1"},
                                        {"properties", {{"plan", "pro"}, {"n", 2}}},
                                        {"timestamp", "2027-01-15T07:00:00.250+01:00"},
                                        {"uuid", "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"}},
                                   "", kOrigin));
  EXPECT_EQ(event.project_id, 7);
  EXPECT_EQ(event.environment_id, 21);
  EXPECT_EQ(event.event, "signup");
  EXPECT_EQ(event.distinct_id, "u1");
  EXPECT_EQ(json::parse(event.properties), (json{{"plan", "pro"}, {"n", 2}}));
  EXPECT_EQ(event.timestamp_ms, kNow - 2 * 60 * 60 * 1000 + 250);  // 06:00:00.250Z
  EXPECT_EQ(event.received_at_ms, kNow);
  EXPECT_EQ(event.uuid, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
}

TEST(EventFromJson, FillsUuidTimestampAndProperties) {
  Event event = Must(EventFromJson(json{{"event", "e"}, {"distinct_id", "u"}}, "", kOrigin));
  EXPECT_EQ(event.timestamp_ms, kNow);
  EXPECT_EQ(event.properties, "{}");
  ASSERT_EQ(CanonicalUuid(event.uuid), event.uuid);
  EXPECT_EQ(event.uuid[14], '7');  // version 7
  EXPECT_NE(event.uuid, Must(EventFromJson(json{{"event", "e"}, {"distinct_id", "u"}}, "", kOrigin)).uuid);
}

TEST(EventFromJson, ClampsAClockFarAheadAndKeepsOneBehind) {
  auto at = [](const std::string& timestamp) {
    return Must(EventFromJson(json{{"event", "e"}, {"distinct_id", "u"}, {"timestamp", timestamp}}, "",
                              kOrigin))
        .timestamp_ms;
  };
  EXPECT_EQ(at("2027-01-15T08:59:00Z"), kNow + 59 * 60 * 1000);  // within the allowed skew
  EXPECT_EQ(at("2027-01-15T09:00:01Z"), kNow);                   // more than an hour ahead
  EXPECT_EQ(at("2026-12-01T00:00:00Z"), ParseTimestampMs("2026-12-01T00:00:00Z"));
}

TEST(EventFromJson, NamesTheBadFieldUnderItsPath) {
  const json base{{"event", "e"}, {"distinct_id", "u"}};
  auto with = [&](const char* name, json value) {
    json out = base;
    out[name] = std::move(value);
    return out;
  };
  EXPECT_EQ(ErrorOf(json::array()).field(), "batch[2]");
  EXPECT_EQ(ErrorOf(json{{"distinct_id", "u"}}).field(), "batch[2].event");
  EXPECT_EQ(ErrorOf(with("event", "")).field(), "batch[2].event");
  EXPECT_EQ(ErrorOf(with("event", 3)).field(), "batch[2].event");
  EXPECT_EQ(ErrorOf(with("event", std::string(201, 'e'))).field(), "batch[2].event");
  EXPECT_EQ(ErrorOf(with("distinct_id", std::string(401, 'u'))).field(), "batch[2].distinct_id");
  EXPECT_EQ(ErrorOf(with("properties", "x")).field(), "batch[2].properties");
  EXPECT_EQ(ErrorOf(with("uuid", "not-a-uuid")).field(), "batch[2].uuid");
  EXPECT_EQ(ErrorOf(with("timestamp", "yesterday")).field(), "batch[2].timestamp");
  EXPECT_EQ(ErrorOf(with("timestamp", "2026-11-21")).field(), "batch[2].timestamp");
  EXPECT_EQ(ErrorOf(with("timestamp", 1700000000)).field(), "batch[2].timestamp");
  EXPECT_EQ(ErrorOf(with("timestamp", "1970-01-01T00:00:00Z")).field(), "batch[2].timestamp");
  Status unknown = ErrorOf(with("evnt", "x"), "");
  EXPECT_EQ(unknown.field(), "evnt");
  EXPECT_THAT(unknown.message(), ::testing::HasSubstr("event"));
}

TEST(EventFromJson, BoundsProperties) {
  const auto props_error = [](json properties) {
    return ErrorOf(json{{"event", "e"}, {"distinct_id", "u"}, {"properties", std::move(properties)}}, "")
        .field();
  };
  json deep = 1;
  for (int i = 0; i < 8; ++i) deep = json{{"d", deep}};
  EXPECT_EQ(props_error(json{{"x", deep}}), "properties.x");
  json many = json::object();
  for (int i = 0; i < 1001; ++i) many["p" + std::to_string(i)] = i;
  EXPECT_EQ(props_error(many), "properties");
  EXPECT_EQ(props_error(json{{"big", std::string(33 * 1024, 'x')}}), "properties");
  EXPECT_EQ(props_error(json{{std::string(257, 'k'), 1}}), "properties");
  json shallow = 1;
  for (int i = 0; i < 6; ++i) shallow = json{{"d", shallow}};
  EXPECT_TRUE(
      EventFromJson(json{{"event", "e"}, {"distinct_id", "u"}, {"properties", {{"x", shallow}}}}, "", kOrigin)
          .ok());
}

TEST(EventJson, FormatsTimestampsAsTheApiDoes) {
  EXPECT_EQ(FormatTimestampMs(kNow + 5), "2027-01-15T08:00:00.005Z");
  EXPECT_EQ(ParseTimestampMs("2027-01-15T08:00:00.005Z"), kNow + 5);
  Event event;
  event.uuid = "u";
  event.event = "e";
  event.distinct_id = "d";
  event.properties = R"({"a":1})";
  event.timestamp_ms = kNow;
  event.received_at_ms = kNow + 1;
  EXPECT_EQ(EventToJson(event, "production"), (json{{"uuid", "u"},
                                                    {"event", "e"},
                                                    {"distinct_id", "d"},
                                                    {"properties", {{"a", 1}}},
                                                    {"timestamp", "2027-01-15T08:00:00.000Z"},
                                                    {"received_at", "2027-01-15T08:00:00.001Z"},
                                                    {"environment", "production"}}));
}

TEST(Uuid, V7IsTimeOrderedAndCanonical) {
  std::set<std::string> seen;
  std::string previous;
  for (std::int64_t ms = kNow; ms < kNow + 100; ++ms) {
    std::string uuid = NewUuidV7(ms);
    EXPECT_EQ(CanonicalUuid(uuid), uuid);
    EXPECT_TRUE(uuid[19] == '8' || uuid[19] == '9' || uuid[19] == 'a' || uuid[19] == 'b') << uuid;
    EXPECT_LT(previous, uuid);
    EXPECT_TRUE(seen.insert(uuid).second);
    previous = uuid;
  }
  EXPECT_EQ(NewUuidV7(0).substr(0, 13), "00000000-0000");
  EXPECT_FALSE(CanonicalUuid("0190a1b2c3d47e5f8a9b0c1d2e3f4a5b0000"));
  EXPECT_FALSE(CanonicalUuid("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g"));
}

// A batch's uuids ascend: within a millisecond each is the previous plus one (carrying through
// bytes, past the version and variant bits), and a new millisecond starts afresh, later still.
// Every uuid is canonical, version 7 with its variant bits, and stamped with its own millisecond.
TEST(Uuid, GeneratorCountsUpWithinAMillisecond) {
  auto random_bits = [](const std::string& uuid) {  // the 74 random bits, as a number
    std::string hex = uuid.substr(15, 3) + uuid.substr(20, 3) + uuid.substr(24);  // rand_a, rand_b
    const auto rand_a = std::stoull(hex.substr(0, 3), nullptr, 16);
    const auto variant_and_rand_b = std::stoull(hex.substr(3), nullptr, 16);
    return std::pair(rand_a, variant_and_rand_b & ((std::uint64_t{1} << 62) - 1));
  };
  UuidV7Generator uuids;
  std::set<std::string> seen;
  std::string previous;
  int counted_up = 0;
  for (int i = 0; i < 70'000; ++i) {
    const std::int64_t ms = kNow + (i < 60'000 ? 0 : (i - 60'000) / 7);
    std::string uuid = uuids.Next(ms);
    ASSERT_EQ(CanonicalUuid(uuid), uuid);
    ASSERT_EQ(uuid[14], '7') << uuid;
    ASSERT_TRUE(uuid[19] == '8' || uuid[19] == '9' || uuid[19] == 'a' || uuid[19] == 'b') << uuid;
    ASSERT_EQ(uuid.substr(0, 13), NewUuidV7(ms).substr(0, 13));
    ASSERT_LT(previous, uuid) << "at " << i;
    ASSERT_TRUE(seen.insert(uuid).second) << "repeated at " << i;
    if (!previous.empty() && previous.substr(0, 13) == uuid.substr(0, 13)) {
      auto [a0, b0] = random_bits(previous);
      auto [a1, b1] = random_bits(uuid);
      const bool plus_one =
          (a1 == a0 && b1 == b0 + 1) || (a1 == a0 + 1 && b1 == 0 && b0 + 1 == (std::uint64_t{1} << 62));
      ASSERT_TRUE(plus_one) << previous << " then " << uuid;
      ++counted_up;
    }
    previous = uuid;
  }
  EXPECT_GT(counted_up, 60'000);
}

// NextRandom: past several refills of the pool (1 + 2 + ... + 512 uuids, then 512 at a time),
// every uuid distinct, canonical, version 7 with its variant bits, of its own millisecond, and
// never the one after another; Next, drawn in between, still counts up.
TEST(Uuid, NextRandomGivesUnrelatedUuidsBetweenCountingOnes) {
  UuidV7Generator uuids;
  std::set<std::string> seen;
  std::string previous;
  std::string counted;
  for (int i = 0; i < 3000; ++i) {
    const std::int64_t ms = kNow + i / 7;
    std::string uuid = uuids.NextRandom(ms);
    ASSERT_EQ(CanonicalUuid(uuid), uuid);
    ASSERT_EQ(uuid[14], '7') << uuid;
    ASSERT_TRUE(uuid[19] == '8' || uuid[19] == '9' || uuid[19] == 'a' || uuid[19] == 'b') << uuid;
    ASSERT_EQ(uuid.substr(0, 13), NewUuidV7(ms).substr(0, 13));
    ASSERT_TRUE(seen.insert(uuid).second) << "repeated at " << i;
    if (!previous.empty()) {
      ASSERT_NE(std::stoull(uuid.substr(24), nullptr, 16), std::stoull(previous.substr(24), nullptr, 16) + 1);
    }
    previous = uuid;
    std::string next = uuids.Next(ms);
    if (!counted.empty() && counted.substr(0, 13) == next.substr(0, 13)) {
      ASSERT_EQ(std::stoull(next.substr(24), nullptr, 16), std::stoull(counted.substr(24), nullptr, 16) + 1)
          << counted << " then " << next;
    }
    counted = next;
  }
}

// Two generators (two requests in the same millisecond) start from their own random bits.
TEST(Uuid, GeneratorsOfOneMillisecondStartApart) {
  UuidV7Generator first;
  UuidV7Generator second;
  EXPECT_NE(first.Next(kNow), second.Next(kNow));
}

}  // namespace
}  // namespace switchyard::events
