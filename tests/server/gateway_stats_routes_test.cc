// GET /api/v1/gateway/stats through the router: admin only, 503 without gateway metrics, and the
// calls recorded into the context's GatewayMetrics (as the gateway routes will) in its answer and
// in GET /metrics.
#include <gtest/gtest.h>

#include "server/api_harness.h"
#include "server/gateway_metrics.h"
#include "support/prometheus_sample.h"

namespace switchyard::server {
namespace {

using switchyard::testing::SampleValue;
using testing::ApiHarness;
using testing::kProjectKey;

gateway::CallRecord Call(const std::string& variant, bool success, double latency_ms) {
  gateway::CallRecord call;
  call.project_id = 1;
  call.route = "chat-default";
  call.experiment = "model-test";
  call.variant = variant;
  call.model = variant == "control" ? "small@1.0.0" : "large@2.0.0";
  call.status = success ? 200 : 502;
  call.success = success;
  call.error_type = success ? "" : "upstream_5xx";
  call.latency_ms = latency_ms;
  call.output_tokens = 10;
  call.cost = 0.001;
  return call;
}

TEST(GatewayStatsRoutesTest, AnswersUnavailableWithoutGatewayMetrics) {
  ApiHarness api;
  auto response = api.Call("GET", "/api/v1/gateway/stats");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(testing::Json(response)["error"]["code"], "unavailable");
}

TEST(GatewayStatsRoutesTest, NeedsAnAdminKey) {
  ApiHarness api;
  GatewayMetrics metrics;
  api.context().gateway_metrics = &metrics;
  EXPECT_EQ(api.Call("GET", "/api/v1/gateway/stats", "", kProjectKey).status, 403);
  EXPECT_EQ(api.Call("GET", "/api/v1/gateway/stats", "", "").status, 401);
  // Admin routes refuse query parameters they do not declare.
  EXPECT_EQ(api.Call("GET", "/api/v1/gateway/stats?route=x").status, 400);
}

TEST(GatewayStatsRoutesTest, ShowsEachRouteAndVariantRecorded) {
  ApiHarness api;
  GatewayMetrics metrics;
  api.context().gateway_metrics = &metrics;
  auto empty = api.Call("GET", "/api/v1/gateway/stats");
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(testing::Json(empty)["series"], nlohmann::json::array());

  for (int i = 0; i < 9; ++i) metrics.Record(Call("control", true, 200));
  metrics.Record(Call("control", false, 5000));
  for (int i = 0; i < 4; ++i) metrics.Record(Call("treatment", true, 800));

  auto response = api.Call("GET", "/api/v1/gateway/stats");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto stats = testing::Json(response);
  ASSERT_EQ(stats["series"].size(), 2u) << response.body;
  const auto& control = stats["series"][0];
  EXPECT_EQ(control["route"], "chat-default");
  EXPECT_EQ(control["variant"], "control");
  EXPECT_EQ(control["model"], "small@1.0.0");
  EXPECT_EQ(control["experiment"], "model-test");
  EXPECT_EQ(control["recent"]["requests"], 10);
  EXPECT_DOUBLE_EQ(control["recent"]["success_rate"].get<double>(), 0.9);
  EXPECT_NEAR(control["total"]["latency_ms"]["p50"].get<double>(), 200, 200 * 0.021);
  EXPECT_EQ(control["total"]["tokens"]["output"], 100);
  const auto& treatment = stats["series"][1];
  EXPECT_EQ(treatment["variant"], "treatment");
  EXPECT_EQ(treatment["total"]["success_rate"], 1.0);

  auto scrape = api.Call("GET", "/metrics");
  EXPECT_EQ(SampleValue(scrape.body,
                        R"(switchyard_gateway_requests_total{project="1",route="chat-default",)"
                        R"(variant="treatment",model="large@2.0.0",shadow="false",outcome="success"})"),
            4)
      << scrape.body;
}

}  // namespace
}  // namespace switchyard::server
