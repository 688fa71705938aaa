// The PostHog capture fast path (simdjson) against the DOM path it stands in for
// (PostHogEventFromJson over nlohmann's parse of the whole body): every body the fast path
// takes gives the same events; every body the DOM path refuses, the fast path leaves to it; and
// the bodies the SDKs send are taken (so the fast path is really used).
#include "server/posthog_fast_batch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/bounded_json.h"
#include "server/posthog_event.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

const events::EventOrigin kBatchOrigin{1, 2, 1'800'000'000'000};  // 2027-01-15T08:00:00Z

// The DOM path, as the capture route runs it; nullopt when it refuses the body.
std::optional<std::vector<events::Event>> DomPathEvents(const std::string& body,
                                                        std::optional<std::int64_t> sent_at_query) {
  auto parsed = core::ParseBoundedJson(body);
  if (!parsed.ok()) return std::nullopt;
  json& root = *parsed;
  std::optional<std::int64_t> sent_at = sent_at_query;
  if (root.is_object() && root.contains("sent_at") && root["sent_at"].is_string()) {
    sent_at = events::ParseTimestampMs(root["sent_at"].get<std::string>());
  }
  json single = json::array();
  json* items = &root;
  if (root.is_object() && root.contains("batch")) {
    items = &root["batch"];
    if (!items->is_array()) return std::nullopt;
  } else if (root.is_object()) {
    single.push_back(root);
    items = &single;
  } else if (!root.is_array()) {
    return std::nullopt;
  }
  if (items->empty() || items->size() > events::kMaxBatchEvents) return std::nullopt;
  std::vector<events::Event> out;
  events::UuidV7Generator uuids;
  for (json& item : *items) {
    auto event = PostHogEventFromJson(item, "batch[0]", kBatchOrigin, sent_at, uuids);
    if (!event.ok()) return std::nullopt;
    out.push_back(std::move(*event));
  }
  return out;
}

// Fast and DOM paths agree on `body`; returns whether the fast path took it.
bool FastPathAgrees(const std::string& body, std::optional<std::int64_t> sent_at_query = std::nullopt) {
  auto fast = ReadPostHogBatchFast(body, kBatchOrigin, sent_at_query);
  auto dom = DomPathEvents(body, sent_at_query);
  if (!dom) {
    EXPECT_FALSE(fast) << "the DOM path refuses, the fast path took: " << body;
    return false;
  }
  if (!fast) return false;
  EXPECT_EQ(fast->batch.events.size(), dom->size()) << body;
  if (fast->batch.events.size() != dom->size()) return true;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < dom->size(); ++i) {
    const events::Event& got = fast->batch.events[i];
    const events::Event& want = (*dom)[i];
    EXPECT_EQ(got.event, want.event) << body;
    EXPECT_EQ(got.distinct_id, want.distinct_id) << body;
    EXPECT_EQ(json::parse(got.properties), json::parse(want.properties)) << body;
    EXPECT_EQ(got.timestamp_ms, want.timestamp_ms) << body;
    EXPECT_EQ(got.received_at_ms, want.received_at_ms) << body;
    EXPECT_EQ(got.project_id, want.project_id);
    EXPECT_EQ(got.environment_id, want.environment_id);
    EXPECT_EQ(got.uuid.size(), 36u) << body;
    // A uuid the client sent (the tests' all begin 0190a1b2) is kept; others are new on both paths.
    if (want.uuid.starts_with("0190a1b2")) {
      EXPECT_EQ(got.uuid, want.uuid) << body;
    } else {
      EXPECT_NE(got.uuid, want.uuid) << body;
    }
    bytes += EventFootprint(got);
  }
  EXPECT_EQ(fast->bytes, bytes);
  return true;
}

TEST(PostHogFastBatchTest, TheBodiesTheSdksSendTakeTheFastPathWithTheSameEvents) {
  // posthog-node's batch: envelope, sent_at correction, type/library ignored, token dropped.
  EXPECT_TRUE(FastPathAgrees(
      R"({"api_key":"sy_proj_x","batch":[{"event":"signup","distinct_id":"u1","type":"capture",)"
      R"("library":"posthog-node","library_version":"5.0.0","timestamp":"2027-01-15T07:59:00.000Z",)"
      R"("properties":{"plan":"pro","token":"sy_proj_x","$lib":"posthog-node","n":1.5,"tags":["a","b"]},)"
      R"("uuid":"0190A1B2-C3D4-7E5F-8A9B-000000000001"},{"event":"$pageview","distinct_id":42,)"
      R"("properties":{"$current_url":"https://example.com/é?q=\"x\""}}],"sent_at":"2027-01-15T07:59:30.000Z"})"));
  // posthog-js: an array, distinct_id inside properties, `_` as the send time, offset.
  EXPECT_TRUE(FastPathAgrees(
      R"([{"event":"$pageview","properties":{"distinct_id":"anon-1","token":"t","$set":{"a":1}},"offset":1500},)"
      R"({"event":"$identify","properties":{"distinct_id":"user-1","$anon_distinct_id":"anon-1"},)"
      R"("$set":{"email":"a@x.io"},"$set_once":{"first":"2027-01-01"},"timestamp":"2027-01-15T07:00:00Z"}])",
      kBatchOrigin.received_at_ms - 2000));
  // One event, no batch; a null uuid and null properties are absent.
  EXPECT_TRUE(FastPathAgrees(R"({"event":"e","distinct_id":"u","uuid":null,"properties":null})"));
  // $set at the top level does not replace one in properties.
  EXPECT_TRUE(
      FastPathAgrees(R"({"event":"e","distinct_id":"u","$set":{"a":1},"properties":{"$set":{"a":2}}})"));
  // A time without sent_at, a time far in the future (clamped), a big unsigned distinct_id.
  EXPECT_TRUE(FastPathAgrees(R"({"batch":[{"event":"e","distinct_id":18446744073709551615,)"
                             R"("timestamp":"2030-01-01T00:00:00Z"}]})"));
}

TEST(PostHogFastBatchTest, WhatTheDomPathRefusesIsLeftToIt) {
  for (
      const char* body : {
          R"(not json)",
          R"({"batch":[]})",
          R"({"batch":{}})",
          R"([1])",
          R"("text")",
          R"({"batch":[{"distinct_id":"u"}]})",
          R"({"batch":[{"event":"","distinct_id":"u"}]})",
          R"({"batch":[{"event":5,"distinct_id":"u"}]})",
          R"({"batch":[{"event":"e"}]})",
          R"({"batch":[{"event":"e","distinct_id":1.5}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","properties":[]}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","uuid":"not-a-uuid"}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","timestamp":"yesterday"}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","timestamp":"1999-01-01T00:00:00Z"}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","type":"a","type":"b"}]})",
          R"({"api_key":"a","api_key":"b","batch":[{"event":"e","distinct_id":"u"}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","properties":{"a":1,"a":2}}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","properties":{"token":1,"token":2}}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","properties":{"":1}}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","properties":{"a":[[[[[[[[[[1]]]]]]]]]]}}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","timestamp":"2027-01-01T00:00:00Z"}],"sent_at":"2100-01-01T00:00:00Z"})",
      }) {
    EXPECT_FALSE(FastPathAgrees(body)) << body;
  }
  std::string too_many = R"({"batch":[)";
  for (std::size_t i = 0; i <= events::kMaxBatchEvents; ++i)
    too_many += R"({"event":"e","distinct_id":"u"},)";
  too_many.back() = ']';
  too_many += '}';
  EXPECT_FALSE(FastPathAgrees(too_many));
}

TEST(PostHogFastBatchTest, OddButValidEventsAgreeWhicheverPathTakesThem) {
  // Not asserted to be fast: only that if the fast path takes them, its events are the DOM path's.
  for (
      const char* body : {
          R"({"batch":[{"event":"e","distinct_id":"u","offset":12.5}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","offset":"12"}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","timestamp":null,"offset":100}]})",
          R"({"batch":[{"event":"e","distinct_id":"u","timestamp":"2027-01-15T07:00:00Z"}],"sent_at":5})",
          R"({"batch":[{"event":"e","distinct_id":"u","timestamp":"2027-01-15T07:00:00Z"}],"sent_at":"garbage"})",
          R"({"event":"e","distinct_id":"u","batch_size":3,"sent_at":"2027-01-15T07:59:59Z","timestamp":"2027-01-15T07:59:58Z"})",
          R"({"batch":[{"event":"e","distinct_id":"u","properties":{"distinct_id":"other","$set_once":null}}]})",
          R"({"batch":[{"event":"e","distinct_id":-7,"$set":null}]})",
      }) {
    FastPathAgrees(body, kBatchOrigin.received_at_ms - 10);
  }
}

}  // namespace
}  // namespace switchyard::server
