// Experiment aggregation on the real binary: metric definitions over HTTP, exposures and metric
// events posted as any client would, the aggregate read back, and the same aggregate after a
// clean restart and after a SIGKILL (checkpoint + replay of the event log).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "store/temp_dir.h"
#include "store/timestamp.h"
#include "support/server_process.h"

namespace switchyard {
namespace {

using cli::HttpClient;
using cli::HttpResponse;
using nlohmann::json;
using testing::kTestAdminKey;
using testing::kTestProjectKey;
using testing::ServerOptions;
using testing::ServerProcess;

const std::string kMetrics = "/api/v1/projects/default/metrics";
const std::string kAggregate = "/api/v1/projects/default/experiments/checkout/aggregate";
constexpr std::int64_t kT0 = 1'760'000'000'000;  // 2025-10-09T08:53:20Z

std::string At(std::int64_t ms) {
  return store::FormatTimestamp(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

class AggregationTest : public ::testing::Test {
 protected:
  void Start() {
    ServerOptions options;
    options.data_dir = dir_.path().string();
    server_ = std::make_unique<ServerProcess>(std::move(options));
    client_ = std::make_unique<HttpClient>(server_->base_url());
  }
  HttpResponse Send(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& key = kTestAdminKey) {
    auto response = client_->Request(method, target, body, {{"Authorization", "Bearer " + key}});
    if (!response.ok()) throw std::runtime_error(response.status().ToString());
    return *response;
  }
  // Through the experiment service, which publishes it to the aggregator.
  void StartExperiment() {
    const json experiment = {
        {"key", "checkout"},
        {"environment", "production"},
        {"variants", {{{"key", "control"}, {"split", 50}}, {{"key", "test"}, {"split", 50}}}},
        {"primary_metric", "revenue"},
        {"secondary_metrics", {"ai_latency_p95", "ai_success_rate"}}};
    auto created = Send("POST", "/api/v1/projects/default/experiments", experiment.dump());
    ASSERT_EQ(created.status, 201) << created.body;
    auto started = Send("POST", "/api/v1/projects/default/experiments/checkout/start", "");
    ASSERT_EQ(started.status, 200) << started.body;
  }
  void PostEvents(int first_user, int users) {
    json batch = json::array();
    for (int u = first_user; u < first_user + users; ++u) {
      const std::string who = "user-" + std::to_string(u);
      const std::int64_t at = kT0 + u * 60'000;
      batch.push_back(
          {{"event", "$experiment_exposure"},
           {"distinct_id", who},
           {"timestamp", At(at)},
           {"properties", {{"$experiment", "checkout"}, {"$variant", u % 2 ? "test" : "control"}}}});
      batch.push_back({{"event", "purchase"},
                       {"distinct_id", who},
                       {"timestamp", At(at + 1000)},
                       {"properties", {{"amount", u % 7}}}});
      batch.push_back({{"event", "$ai_generation"},
                       {"distinct_id", who},
                       {"timestamp", At(at + 2000)},
                       {"properties", {{"$ai_latency", 0.1 * (u % 13)}, {"$ai_is_error", u % 5 == 0}}}});
    }
    auto response = Send("POST", "/api/v1/events", json{{"batch", batch}}.dump(), kTestProjectKey);
    ASSERT_EQ(response.status, 200) << response.body;
  }
  json Aggregate() {
    auto response = Send("GET", kAggregate, "");
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body);
  }

  store::test_support::TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(AggregationTest, MetricRoutesListBuiltinsAndRefuseWritesToThem) {
  Start();
  auto list = Send("GET", kMetrics, "");
  ASSERT_EQ(list.status, 200) << list.body;
  bool found = false;
  const json listed = json::parse(list.body);
  for (const json& metric : listed["metrics"])
    found = found || (metric["key"] == "ai_latency_p95" && metric["builtin"] == true);
  EXPECT_TRUE(found) << list.body.substr(0, 400);
  const json builtin = {{"key", "ai_latency_p95"}, {"kind", "sum"}, {"value", {{"event", "x"}}}};
  EXPECT_EQ(Send("POST", kMetrics, builtin.dump()).status, 409);
  EXPECT_EQ(Send("PUT", kMetrics + "/ai_latency_p95", builtin.dump()).status, 409);
  EXPECT_EQ(Send("DELETE", kMetrics + "/ai_latency_p95", "").status, 409);
  auto typo =
      Send("POST", kMetrics,
           json{{"key", "m"}, {"kind", "sum"}, {"value", {{"event", "x"}}}, {"unitt", "user"}}.dump());
  EXPECT_EQ(typo.status, 422);
  EXPECT_EQ(json::parse(typo.body)["error"]["field"], "unitt");
  EXPECT_EQ(Send("GET", kMetrics + "/nope", "").status, 404);
  EXPECT_EQ(Send("GET", kMetrics, "", kTestProjectKey).status, 403);
}

TEST_F(AggregationTest, TheAggregateSurvivesARestartAndASigkill) {
  Start();
  const json revenue = {
      {"key", "revenue"}, {"kind", "sum"}, {"value", {{"event", "purchase"}, {"property", "amount"}}}};
  ASSERT_EQ(Send("POST", kMetrics, revenue.dump()).status, 201);
  EXPECT_EQ(Send("POST", kMetrics, revenue.dump()).status, 409);
  StartExperiment();
  PostEvents(0, 40);
  const json before = Aggregate();
  ASSERT_EQ(before["variants"].size(), 2u);
  const json& control = before["variants"][0];
  EXPECT_EQ(control["variant"], "control");
  EXPECT_EQ(control["exposures"], 20);
  double revenue_sum = 0;
  for (int u = 0; u < 40; u += 2) revenue_sum += u % 7;
  EXPECT_EQ(control["metrics"]["revenue"]["sum"].get<double>(), revenue_sum);
  EXPECT_EQ(control["metrics"]["revenue"]["n"].get<double>(), 20);
  EXPECT_EQ(control["metrics"]["ai_success_rate"]["denominator_sum"].get<double>(), 20);
  EXPECT_EQ(control["metrics"]["ai_success_rate"]["sum"].get<double>(), 16);  // users 0, 10, 20, 30 erred
  EXPECT_EQ(control["metrics"]["ai_latency_p95"]["sketch"]["n"], 20);
  EXPECT_FALSE(control["hourly"].empty());

  ASSERT_EQ(server_->Stop(), 0);
  Start();
  EXPECT_EQ(Aggregate(), before);

  PostEvents(40, 10);
  const json grown = Aggregate();
  EXPECT_EQ(grown["variants"][0]["exposures"], 25);
  server_->Kill();  // the last events may be past the last checkpoint: replayed from the log
  Start();
  EXPECT_EQ(Aggregate(), grown);
}

}  // namespace
}  // namespace switchyard
