// PostHog compatibility on the real binary: /flags (v1, v2, newer v), /decide (v3, v4) agreeing
// with POST /api/v1/evaluate for the same users and flags; capture through /batch, /capture, /e
// and /i/v0/e with every body wrapping the SDKs use, landing in the event log once per uuid;
// a gzip bomb, bad keys, bad events, a full queue; CORS preflight.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "events/event_json.h"
#include "server/base64url.h"
#include "server/http_message.h"
#include "store/sqlite_connection.h"
#include "support/gzip.h"
#include "support/json_api.h"
#include "support/prometheus_sample.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using cli::HttpClient;
using cli::HttpResponse;
using nlohmann::json;
using testing::Gzip;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::SendJson;
using testing::SendRequest;
using testing::ServerOptions;
using testing::ServerProcess;

std::string Uuid(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "0190a1b2-c3d4-7e5f-8a9b-%012d", n);
  return text;
}

std::string Base64(const std::string& bytes) {
  std::string text = server::Base64UrlEncode(bytes);
  for (char& c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (text.size() % 4 != 0) text += '=';
  return text;
}

class PostHogTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options = {}) {
    server_ = std::make_unique<ServerProcess>(std::move(options));
    client_ = std::make_unique<HttpClient>(server_->base_url());
  }
  void SetUp() override { Start(); }

  // As the SDKs call: no Authorization header.
  HttpResponse Post(const std::string& target, const std::string& body, HttpClient::Headers headers = {}) {
    return SendRequest(*client_, "POST", target, body, "", std::move(headers));
  }
  void CreateFlag(const json& flag) {
    auto created = SendJson(*client_, "POST", "/api/v1/projects/default/flags", flag);
    ASSERT_EQ(created.status, 201) << created.body.dump();
  }
  json StoredEvent(const std::string& uuid) {
    auto listed = SendJson(*client_, "GET", "/api/v1/projects/default/events?uuid=" + uuid);
    EXPECT_EQ(listed.status, 200);
    return listed.body["events"].empty() ? json() : listed.body["events"][0];
  }
  std::size_t StoredCount() {
    auto listed = SendJson(*client_, "GET", "/api/v1/projects/default/events?limit=1000");
    return listed.body["events"].size();
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(PostHogTest, FlagsAndDecideAgreeWithEvaluate) {
  CreateFlag({{"key", "checkout"},
              {"filters",
               {{"groups",
                 {{{"properties", {{{"key", "plan"}, {"operator", "exact"}, {"value", "pro"}}}},
                   {"rollout_percentage", 70}}}},
                {"multivariate",
                 {{"variants",
                   {{{"key", "control"}, {"rollout_percentage", 34}},
                    {{"key", "a"}, {"rollout_percentage", 33}},
                    {{"key", "b"}, {"rollout_percentage", 33}}}}}},
                {"payloads", {{"a", {{"price", 9}}}, {"b", "[1,2]"}}}}}});
  CreateFlag(
      {{"key", "beta"},
       {"filters", {{"groups", {{{"rollout_percentage", 40}}}}, {"payloads", {{"true", {{"on", true}}}}}}}});
  CreateFlag({{"key", "kill"}, {"active", false}});

  int variants = 0;
  for (int i = 0; i < 60; ++i) {
    const std::string id = "person-" + std::to_string(i);
    const json properties = {{"plan", i % 3 == 0 ? "free" : "pro"}};
    auto ours = SendJson(*client_, "POST", "/api/v1/evaluate",
                         {{"distinct_id", id}, {"properties", properties}}, kTestProjectKey);
    ASSERT_EQ(ours.status, 200);
    const json& flags = ours.body["flags"];
    const json body = {{"token", kTestProjectKey},
                       {"distinct_id", id},
                       {"person_properties", properties},
                       {"groups", json::object()},
                       {"group_properties", json::object()}};
    for (const char* target : {"/flags/?v=1", "/flags", "/decide/?v=3"}) {
      auto v1 = Post(target, body.dump());
      ASSERT_EQ(v1.status, 200) << target << v1.body;
      json answer = json::parse(v1.body);
      for (const auto& [key, flag] : flags.items()) {
        EXPECT_EQ(answer["featureFlags"][key], flag["value"]) << target << id << key;
        if (flag["enabled"] == true && !flag["payload"].is_null()) {
          EXPECT_EQ(json::parse(answer["featureFlagPayloads"][key].get<std::string>()), flag["payload"]);
        }
      }
    }
    for (const char* target : {"/flags/?v=2", "/flags/?v=4", "/decide/?v=4"}) {
      auto v2 = Post(target, body.dump());
      ASSERT_EQ(v2.status, 200) << target << v2.body;
      json answer = json::parse(v2.body);
      for (const auto& [key, flag] : flags.items()) {
        EXPECT_EQ(answer["flags"][key]["enabled"], flag["enabled"]) << target << id << key;
        EXPECT_EQ(answer["flags"][key]["variant"], flag["variant"]) << target << id << key;
        if (flag["enabled"] == true && !flag["payload"].is_null()) {
          EXPECT_EQ(json::parse(answer["flags"][key]["metadata"]["payload"].get<std::string>()),
                    flag["payload"]);
        }
      }
    }
    if (flags["checkout"]["variant"].is_string()) ++variants;
  }
  EXPECT_GT(variants, 10);
}

TEST_F(PostHogTest, EveryBodyEncodingLandsItsEvents) {
  auto event = [](int n, const std::string& name) {
    return json{{"event", name},
                {"distinct_id", "u" + std::to_string(n)},
                {"uuid", Uuid(n)},
                {"properties", {{"n", n}}},
                {"timestamp", "2026-11-20T10:00:00Z"}};
  };
  // posthog-node: {"api_key", "batch", "sent_at"}, gzip by header.
  json node = {{"api_key", kTestProjectKey},
               {"batch", {event(1, "a"), event(2, "b")}},
               {"sent_at", "2026-11-20T10:00:01Z"}};
  EXPECT_EQ(Post("/batch/", Gzip(node.dump()), {{"Content-Encoding", "gzip"}}).status, 200);
  // Plain JSON, token in the query.
  EXPECT_EQ(Post("/capture/?token=" + std::string(kTestProjectKey), event(3, "c").dump()).status, 200);
  // posthog-js: an array, token in properties, gzip-js (no header), text/plain.
  json js = json::array({event(4, "d"), event(5, "e")});
  for (auto& each : js) each["properties"]["token"] = kTestProjectKey;
  EXPECT_EQ(
      Post("/e/?compression=gzip-js&ver=1.449.2", Gzip(js.dump()), {{"Content-Type", "text/plain"}}).status,
      200);
  // posthog-js base64: form data=.
  json b64 = event(6, "f");
  b64["properties"]["token"] = kTestProjectKey;
  EXPECT_EQ(Post("/i/v0/e/?compression=base64", "data=" + server::PercentEncode(Base64(b64.dump())),
                 {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            200);
  // A form data= holding url-encoded JSON.
  json form = event(7, "g");
  form["api_key"] = kTestProjectKey;
  EXPECT_EQ(Post("/e", "data=" + server::PercentEncode(form.dump()),
                 {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            200);

  const char* names[] = {"a", "b", "c", "d", "e", "f", "g"};
  for (int n = 1; n <= 7; ++n) {
    json stored = StoredEvent(Uuid(n));
    ASSERT_FALSE(stored.is_null()) << n;
    EXPECT_EQ(stored["event"], names[n - 1]);
    EXPECT_EQ(stored["distinct_id"], "u" + std::to_string(n));
    EXPECT_EQ(stored["properties"]["n"], n);
    EXPECT_FALSE(stored["properties"].contains("token"));
  }
  // sent_at 1 s after the event: stored 1 s before the server received it.
  json first = StoredEvent(Uuid(1));
  auto received = events::ParseTimestampMs(first["received_at"].get<std::string>());
  auto timestamp = events::ParseTimestampMs(first["timestamp"].get<std::string>());
  ASSERT_TRUE(received && timestamp);
  EXPECT_EQ(*timestamp, *received - 1000);
  EXPECT_EQ(StoredEvent(Uuid(3))["timestamp"], "2026-11-20T10:00:00.000Z");  // no sent_at: as sent

  // A retry of the same batch is acknowledged and stored once.
  EXPECT_EQ(Post("/batch", Gzip(node.dump()), {{"Content-Encoding", "gzip"}}).status, 200);
  EXPECT_EQ(StoredCount(), 7u);
}

TEST_F(PostHogTest, IdentifyEventsCarrySetIntoProperties) {
  json identify = {{"api_key", kTestProjectKey},
                   {"batch",
                    {{{"event", "$identify"},
                      {"distinct_id", "u1"},
                      {"uuid", Uuid(1)},
                      {"$set", {{"plan", "pro"}}},
                      {"properties", {{"$anon_distinct_id", "anon-1"}}}}}}};
  ASSERT_EQ(Post("/batch", identify.dump()).status, 200);
  json stored = StoredEvent(Uuid(1));
  EXPECT_EQ(stored["properties"]["$set"], json({{"plan", "pro"}}));
  EXPECT_EQ(stored["properties"]["$anon_distinct_id"], "anon-1");
}

TEST_F(PostHogTest, BadInputGetsPostHogsStatusCodes) {
  // A gzip bomb: 5 MiB + 1 of spaces compress to a few KiB.
  const std::string bomb = Gzip(std::string(5 * 1024 * 1024 + 1, ' '));
  auto bombed = Post("/batch?token=" + std::string(kTestProjectKey), bomb, {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(bombed.status, 413) << bombed.body;
  auto bombed_js = Post("/e/?compression=gzip-js&token=" + std::string(kTestProjectKey), bomb);
  EXPECT_EQ(bombed_js.status, 413) << bombed_js.body;

  json good = {{"event", "e"}, {"distinct_id", "u"}};
  auto no_key = Post("/capture", good.dump());
  EXPECT_EQ(no_key.status, 401);
  json wrong = good;
  wrong["api_key"] = "sy_proj_nope_0123456789abcdef0123456789abcdef";
  EXPECT_EQ(Post("/capture", wrong.dump()).status, 401);
  EXPECT_EQ(Post("/flags/?v=2", json{{"token", "sy_proj_nope"}, {"distinct_id", "u"}}.dump()).status, 401);

  auto no_event = Post("/capture", json{{"api_key", kTestProjectKey}, {"distinct_id", "u"}}.dump());
  EXPECT_EQ(no_event.status, 400);
  EXPECT_EQ(json::parse(no_event.body)["error"]["field"], "event");
  auto no_id = Post("/batch", json{{"api_key", kTestProjectKey}, {"batch", {good, {{"event", "x"}}}}}.dump());
  EXPECT_EQ(no_id.status, 400);
  EXPECT_EQ(json::parse(no_id.body)["error"]["field"], "batch[1].distinct_id");
  EXPECT_EQ(Post("/batch?token=" + std::string(kTestProjectKey), "{broken").status, 400);
  EXPECT_EQ(Post("/e/?compression=gzip-js&token=" + std::string(kTestProjectKey), "not gzip").status, 400);
  EXPECT_EQ(StoredCount(), 0u);  // a refused batch stores nothing
}

TEST_F(PostHogTest, PreflightAndCorsForBrowsers) {
  for (const char* path : {"/e/", "/flags/", "/batch/", "/i/v0/e/", "/decide/"}) {
    auto preflight = client_->Request("OPTIONS", path, "",
                                      {{"Origin", "https://shop.example.com"},
                                       {"Access-Control-Request-Method", "POST"},
                                       {"Access-Control-Request-Headers", "content-type"}});
    ASSERT_TRUE(preflight.ok());
    EXPECT_EQ(preflight->status, 204) << path;
    EXPECT_EQ(preflight->Header("access-control-allow-origin"), "*") << path;
    EXPECT_NE(preflight->Header("access-control-allow-methods").find("POST"), std::string::npos) << path;
  }
  auto captured = Post(
      "/e/", json{{"event", "e"}, {"distinct_id", "u"}, {"properties", {{"token", kTestProjectKey}}}}.dump(),
      {{"Origin", "https://shop.example.com"}});
  EXPECT_EQ(captured.status, 200);
  EXPECT_EQ(captured.Header("access-control-allow-origin"), "*");
  auto config = client_->Request("GET", "/array/" + std::string(kTestProjectKey) + "/config", "",
                                 {{"Origin", "https://shop.example.com"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->status, 200);
  EXPECT_EQ(config->Header("access-control-allow-origin"), "*");
}

// The events.db write lock held from outside stalls the writer: the next capture meets a full queue.
TEST(PostHogQueueTest, FullQueueIsServiceUnavailableWithRetryAfter) {
  ServerOptions options;
  options.extra_args = {"--event-queue-events", "1"};
  ServerProcess server(options);
  HttpClient client(server.base_url());
  auto locker = store::sqlite::Connection::Open(server.data_dir() + "/events.db", false);
  ASSERT_TRUE(locker.ok());
  ASSERT_TRUE((*locker)->Exec("BEGIN IMMEDIATE").ok());
  const std::string batch = json{{"api_key", kTestProjectKey},
                                 {"batch", {{{"event", "e"}, {"distinct_id", "u"}, {"uuid", Uuid(1)}}}}}
                                .dump();
  std::atomic<int> first_status{0};
  std::thread first([&] {
    HttpClient own(server.base_url());
    first_status = SendRequest(own, "POST", "/batch", batch, "").status;
  });
  for (;;) {
    auto metrics = SendRequest(client, "GET", "/metrics", "", kTestAdminKey);
    auto queued = testing::SampleValue(metrics.body, "switchyard_ingest_queue_items{pipeline=\"events\"}");
    if (queued && *queued >= 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const std::string second = json{{"api_key", kTestProjectKey},
                                  {"batch", {{{"event", "e"}, {"distinct_id", "u"}, {"uuid", Uuid(2)}}}}}
                                 .dump();
  auto refused = SendRequest(client, "POST", "/batch", second, "");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.Header("retry-after"), "1");
  ASSERT_TRUE((*locker)->Exec("ROLLBACK").ok());
  first.join();
  EXPECT_EQ(first_status, 200);
}

}  // namespace
}  // namespace switchyard
