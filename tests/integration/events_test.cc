// Event ingestion on the real binary: batches stored and listed, bad batches refused whole,
// retries stored once, the size limits, hostile bodies, identify feeding targeting, a full queue,
// and acknowledged events surviving a SIGKILL.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "store/sqlite_connection.h"
#include "store/temp_dir.h"
#include "support/gzip.h"
#include "support/json_api.h"
#include "support/prometheus_sample.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using testing::SendRequest;

using cli::HttpClient;
using cli::HttpResponse;
using nlohmann::json;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::ServerOptions;
using testing::ServerProcess;

const std::string kEvents = "/api/v1/events";
const std::string kList = "/api/v1/projects/default/events";

std::string Uuid(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "0190a1b2-c3d4-7e5f-8a9b-%012d", n);
  return text;
}

json Event(int n, const std::string& name = "view", const std::string& who = "u1") {
  return {{"event", name}, {"distinct_id", who}, {"uuid", Uuid(n)}, {"properties", {{"n", n}}}};
}

json Batch(int first, int count, const std::string& name = "view") {
  json batch = json::array();
  for (int n = first; n < first + count; ++n) batch.push_back(Event(n, name));
  return {{"batch", batch}};
}

class EventsTest : public ::testing::Test {
 protected:
  static ServerOptions WithArgs(std::vector<std::string> args) {
    ServerOptions options;
    options.extra_args = std::move(args);
    return options;
  }
  static ServerOptions InDir(const std::string& data_dir) {
    ServerOptions options;
    options.data_dir = data_dir;
    return options;
  }
  void Start(ServerOptions options = {}) {
    server_ = std::make_unique<ServerProcess>(std::move(options));
    client_ = std::make_unique<HttpClient>(server_->base_url());
  }
  HttpResponse Post(const json& body, HttpClient::Headers headers = {}) {
    return SendRequest(*client_, "POST", kEvents, body.dump(), kTestProjectKey, std::move(headers));
  }
  json List(const std::string& query = "") {
    auto response = SendRequest(*client_, "GET", kList + query, "", kTestAdminKey);
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body);
  }
  // Every stored uuid, paging through the whole list.
  std::vector<std::string> AllUuids() {
    std::vector<std::string> out;
    std::string query = "?limit=1000";
    for (;;) {
      json page = List(query);
      for (const auto& event : page["events"]) out.push_back(event["uuid"]);
      if (page["next_cursor"].is_null()) return out;
      query = "?limit=1000&cursor=" + page["next_cursor"].get<std::string>();
    }
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(EventsTest, StoresABatchAndListsItNewestFirstWithFiltersAndCursors) {
  Start();
  json batch = Batch(1, 4);
  batch["batch"][1]["event"] = "buy";
  batch["batch"][2]["distinct_id"] = "u2";
  batch["batch"][3]["timestamp"] = "2026-01-02T03:04:05.678Z";
  auto posted = Post(batch);
  ASSERT_EQ(posted.status, 200) << posted.body;
  json answer = json::parse(posted.body);
  EXPECT_EQ(answer["received"], 4);
  EXPECT_EQ(answer["stored"], 4);
  EXPECT_EQ(answer["duplicates"], 0);
  EXPECT_EQ(answer["uuids"], (json{Uuid(1), Uuid(2), Uuid(3), Uuid(4)}));

  json all = List();
  ASSERT_EQ(all["events"].size(), 4u);
  const json& newest = all["events"][0];
  EXPECT_EQ(newest["uuid"], Uuid(4));
  EXPECT_EQ(newest["event"], "view");
  EXPECT_EQ(newest["distinct_id"], "u1");
  EXPECT_EQ(newest["properties"], (json{{"n", 4}}));
  EXPECT_EQ(newest["timestamp"], "2026-01-02T03:04:05.678Z");
  EXPECT_EQ(newest["environment"], "production");
  EXPECT_TRUE(newest["received_at"].is_string());
  EXPECT_EQ(all["events"][3]["uuid"], Uuid(1));

  EXPECT_EQ(List("?event=buy")["events"].size(), 1u);
  EXPECT_EQ(List("?distinct_id=u2")["events"][0]["uuid"], Uuid(3));
  EXPECT_EQ(List("?uuid=" + Uuid(2))["events"][0]["event"], "buy");
  EXPECT_EQ(List("?before=2026-06-01T00:00:00Z")["events"][0]["uuid"], Uuid(4));
  EXPECT_EQ(List("?after=2026-06-01T00:00:00Z")["events"].size(), 3u);

  json first = List("?limit=3");
  ASSERT_EQ(first["events"].size(), 3u);
  json second = List("?limit=3&cursor=" + first["next_cursor"].get<std::string>());
  ASSERT_EQ(second["events"].size(), 1u);
  EXPECT_EQ(second["events"][0]["uuid"], Uuid(1));
  EXPECT_TRUE(second["next_cursor"].is_null());

  // Following: what arrives after the head, oldest first.
  const std::string head = all["head_cursor"];
  EXPECT_TRUE(List("?since=" + head)["events"].empty());
  ASSERT_EQ(Post(Batch(10, 2)).status, 200);
  json followed = List("?since=" + head);
  ASSERT_EQ(followed["events"].size(), 2u);
  EXPECT_EQ(followed["events"][0]["uuid"], Uuid(10));
  EXPECT_TRUE(List("?since=" + followed["head_cursor"].get<std::string>())["events"].empty());
  EXPECT_EQ(SendRequest(*client_, "GET", kList + "?since=bogus", "", kTestAdminKey).status, 400);
}

TEST_F(EventsTest, AcceptsOneEventGzipAndAssignsUuids) {
  Start();
  auto single = Post({{"event", "signup"}, {"distinct_id", "u9"}});
  ASSERT_EQ(single.status, 200) << single.body;
  const std::string assigned = json::parse(single.body)["uuids"][0];
  EXPECT_EQ(assigned.size(), 36u);
  auto gzipped = SendRequest(*client_, "POST", kEvents, testing::Gzip(Batch(1, 50).dump()), kTestProjectKey,
                             {{"Content-Encoding", "gzip"}});
  ASSERT_EQ(gzipped.status, 200) << gzipped.body;
  EXPECT_EQ(json::parse(gzipped.body)["stored"], 50);
  EXPECT_EQ(List("?uuid=" + assigned)["events"][0]["event"], "signup");
}

TEST_F(EventsTest, RefusesABadBatchWholeNamingEachBadEvent) {
  Start();
  json batch = Batch(1, 5);
  batch["batch"][1].erase("distinct_id");
  batch["batch"][3]["evnt"] = "typo";
  batch["batch"][4]["timestamp"] = "yesterday";
  auto refused = Post(batch);
  ASSERT_EQ(refused.status, 422) << refused.body;
  json error = json::parse(refused.body)["error"];
  EXPECT_EQ(error["code"], "invalid_argument");
  ASSERT_EQ(error["errors"].size(), 3u);
  EXPECT_EQ(error["errors"][0]["index"], 1);
  EXPECT_EQ(error["errors"][0]["field"], "batch[1].distinct_id");
  EXPECT_EQ(error["errors"][1]["index"], 3);
  EXPECT_EQ(error["errors"][1]["field"], "batch[3].evnt");
  EXPECT_EQ(error["errors"][2]["field"], "batch[4].timestamp");
  EXPECT_TRUE(AllUuids().empty());
  // Unknown top-level fields, in either form.
  EXPECT_EQ(Post({{"batch", json::array()}, {"api_key", "x"}}).status, 422);
  auto typo = Post({{"event", "e"}, {"distinct_id", "u"}, {"propreties", json::object()}});
  EXPECT_EQ(typo.status, 422);
  EXPECT_EQ(json::parse(typo.body)["error"]["field"], "propreties");
  // An admin key names no environment.
  EXPECT_EQ(SendRequest(*client_, "POST", kEvents, Batch(1, 1).dump(), kTestAdminKey).status, 403);
}

TEST_F(EventsTest, StoresARetryOnce) {
  Start();
  ASSERT_EQ(Post(Batch(1, 3)).status, 200);
  auto retry = Post(Batch(2, 3));  // 2 and 3 again, 4 new
  ASSERT_EQ(retry.status, 200);
  json answer = json::parse(retry.body);
  EXPECT_EQ(answer["stored"], 1);
  EXPECT_EQ(answer["duplicates"], 2);
  EXPECT_EQ(AllUuids().size(), 4u);
  // Server-assigned uuids, sent back on a retry, are recognised too.
  auto first = Post({{"batch", {{{"event", "e"}, {"distinct_id", "u"}}}}});
  json again = {
      {"batch", {{{"event", "e"}, {"distinct_id", "u"}, {"uuid", json::parse(first.body)["uuids"][0]}}}}};
  EXPECT_EQ(json::parse(Post(again).body)["duplicates"], 1);
  EXPECT_EQ(AllUuids().size(), 5u);
}

TEST_F(EventsTest, RefusesBatchesPastTheLimitsAndHostileBodies) {
  Start();
  auto too_many = Post(Batch(1, 1001));
  EXPECT_EQ(too_many.status, 413) << too_many.body;
  EXPECT_EQ(json::parse(too_many.body)["error"]["field"], "batch");
  // 600 events of 10 KB: past 5 MB although each event is within its limits.
  json big = Batch(1, 600);
  for (auto& event : big["batch"]) event["properties"]["pad"] = std::string(10000, 'x');
  EXPECT_EQ(Post(big).status, 413);
  json huge = {
      {"event", "e"}, {"distinct_id", "u"}, {"properties", {{"s", std::string(10 * 1024 * 1024, 'x')}}}};
  EXPECT_EQ(Post(huge).status, 413);
  // Deep nesting, invalid UTF-8, broken JSON: 400; wrong types: 422.
  std::string deep = R"({"batch":[{"event":"e","distinct_id":"u","properties":{"p":)" +
                     std::string(5000, '[') + std::string(5000, ']') + "}}]}";
  EXPECT_EQ(SendRequest(*client_, "POST", kEvents, deep, kTestProjectKey).status, 400);
  std::string bad_utf8 = "{\"event\":\"e\",\"distinct_id\":\"u\xff\xfe\"}";
  EXPECT_EQ(SendRequest(*client_, "POST", kEvents, bad_utf8, kTestProjectKey).status, 400);
  EXPECT_EQ(SendRequest(*client_, "POST", kEvents, R"({"batch":[{"event":"e",}]})", kTestProjectKey).status,
            400);
  EXPECT_EQ(Post({{"batch", {{{"event", 1}, {"distinct_id", {1}}}}}}).status, 422);
  EXPECT_EQ(Post({{"batch", "not an array"}}).status, 422);
  EXPECT_TRUE(AllUuids().empty());
  // Still serving.
  EXPECT_EQ(Post(Batch(1, 1)).status, 200);
}

TEST_F(EventsTest, IdentifyFeedsTargeting) {
  Start();
  json flag = {{"key", "pro-only"},
               {"filters",
                {{"groups",
                  {{{"properties", {{{"key", "plan"}, {"operator", "exact"}, {"value", {"pro"}}}}},
                    {"rollout_percentage", 100}}}}}}};
  ASSERT_EQ(
      SendRequest(*client_, "POST", "/api/v1/projects/default/flags", flag.dump(), kTestAdminKey).status,
      201);
  auto enabled = [&] {
    auto eval =
        SendRequest(*client_, "POST", "/api/v1/evaluate", R"({"distinct_id":"ada"})", kTestProjectKey);
    return json::parse(eval.body)["flags"]["pro-only"]["enabled"].get<bool>();
  };
  EXPECT_FALSE(enabled());  // and now cached as "no such person"
  auto identify = [&](const json& body) {
    return SendRequest(*client_, "POST", "/api/v1/identify", body.dump(), kTestProjectKey);
  };
  auto set = identify({{"distinct_id", "ada"}, {"$set", {{"plan", "pro"}}}, {"$set_once", {{"first", "a"}}}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(enabled());
  ASSERT_EQ(identify({{"distinct_id", "ada"}, {"$set_once", {{"first", "b"}, {"plan", "free"}}}}).status,
            200);
  EXPECT_TRUE(enabled());
  auto person = SendRequest(*client_, "GET", "/api/v1/projects/default/persons/ada", "", kTestAdminKey);
  EXPECT_EQ(json::parse(person.body)["properties"], (json{{"plan", "pro"}, {"first", "a"}}));
  EXPECT_EQ(identify({{"distinct_id", "ada"}, {"$unset", {"plan"}}}).status, 422);
  EXPECT_EQ(identify({{"distinct_id", ""}}).status, 422);
  EXPECT_EQ(identify({{"distinct_id", "ada"}, {"$set", "x"}}).status, 422);
}

// The events.db write lock held from outside stalls the writer, so a request is queued and
// waiting for its commit for as long as the test wants: the next one meets a full queue.
TEST_F(EventsTest, AnswersServiceUnavailableWhenTheQueueIsFull) {
  Start(WithArgs({"--event-queue-events", "1"}));
  auto locker = store::sqlite::Connection::Open(server_->data_dir() + "/events.db", false);
  ASSERT_TRUE(locker.ok());
  ASSERT_TRUE((*locker)->Exec("BEGIN IMMEDIATE").ok());
  std::atomic<int> first_status{0};
  std::thread first([&] {
    HttpClient own(server_->base_url());
    first_status = SendRequest(own, "POST", kEvents, Batch(1, 5).dump(), kTestProjectKey).status;
  });
  // Until the first batch is queued (metrics show it).
  for (;;) {
    auto metrics = SendRequest(*client_, "GET", "/metrics", "", kTestAdminKey);
    auto queued = testing::SampleValue(metrics.body, "switchyard_ingest_queue_items{pipeline=\"events\"}");
    if (queued && *queued >= 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto refused = Post(Batch(10, 1));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.Header("retry-after"), "1");
  ASSERT_TRUE((*locker)->Exec("ROLLBACK").ok());
  first.join();
  EXPECT_EQ(first_status, 200);
  auto metrics = SendRequest(*client_, "GET", "/metrics", "", kTestAdminKey).body;
  EXPECT_EQ(testing::SampleValue(metrics, "switchyard_ingest_rejections_total{reason=\"queue_full\"}"), 1);
  EXPECT_EQ(AllUuids().size(), 5u);
}

TEST_F(EventsTest, AcknowledgedEventsSurviveSigkill) {
  store::test_support::TempDir dir;
  Start(InDir(dir.path().string()));
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<int> batches{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      HttpClient own(server_->base_url());
      for (int b = 0; !killed; ++b) {
        const int first = (t * 100000) + b * 50;
        auto response = own.Request("POST", kEvents, Batch(first, 50).dump(),
                                    {{"Authorization", std::string("Bearer ") + kTestProjectKey}});
        if (!response.ok() || response->status != 200) return;  // the server is gone
        std::lock_guard lock(mu);
        for (int n = first; n < first + 50; ++n) acknowledged.push_back(Uuid(n));
        ++batches;
      }
    });
  }
  while (batches < 40) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server_->Kill();  // mid-load: requests are in flight and being committed
  killed = true;
  for (auto& sender : senders) sender.join();

  Start(InDir(dir.path().string()));
  std::vector<std::string> stored = AllUuids();
  std::set<std::string> unique(stored.begin(), stored.end());
  EXPECT_EQ(unique.size(), stored.size()) << "an event was stored twice";
  std::size_t missing = 0;
  for (const auto& uuid : acknowledged) missing += unique.count(uuid) == 0 ? 1 : 0;
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged events";
  EXPECT_GE(acknowledged.size(), 40u * 50);
}

}  // namespace
}  // namespace switchyard
