// GET /metrics through the router: admin key only on the API, open on the metrics-only router,
// and requests show up under their route pattern, never their raw path.
#include <gtest/gtest.h>

#include "server/api_harness.h"
#include "server/prometheus_text.h"
#include "support/prometheus_sample.h"

namespace switchyard::server {
namespace {

using switchyard::testing::SampleValue;
using testing::ApiHarness;
using testing::Json;
using testing::kAdminKey;
using testing::kProjectKey;

TEST(MetricsRoutesTest, NeedsAnAdminKeyOnTheApi) {
  ApiHarness api;
  auto anonymous = api.Call("GET", "/metrics", "", "");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(Json(anonymous)["error"]["code"], "unauthenticated");
  auto project = api.Call("GET", "/metrics", "", kProjectKey);
  EXPECT_EQ(project.status, 403);
  EXPECT_EQ(Json(project)["error"]["code"], "permission_denied");
  auto admin = api.Call("GET", "/metrics", "", kAdminKey);
  EXPECT_EQ(admin.status, 200);
  EXPECT_EQ(admin.content_type, kPrometheusContentType);
}

TEST(MetricsRoutesTest, CountsRequestsUnderTheirRoutePattern) {
  ApiHarness api;
  EXPECT_EQ(api.Call("GET", "/api/v1/projects/default/flags/missing-flag").status, 404);
  EXPECT_EQ(api.Call("GET", "/healthz", "", "").status, 200);
  EXPECT_EQ(api.Call("GET", "/not/a/route/secret-path", "", "").status, 404);
  EXPECT_EQ(api.Call("GET", "/metrics", "", "").status, 401);
  auto text = api.Call("GET", "/metrics").body;
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="/api/v1/projects/{project}/flags/{key}",)"
                        R"(method="GET",status="404"})"),
      1)
      << text;
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="/healthz",method="GET",status="200"})"), 1);
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="unmatched",method="GET",status="404"})"), 1);
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="/metrics",method="GET",status="401"})"), 1);
  EXPECT_EQ(text.find("missing-flag"), std::string::npos);
  EXPECT_EQ(text.find("secret-path"), std::string::npos);
  // The scrape itself is in flight while it renders.
  EXPECT_EQ(SampleValue(text, "switchyard_http_requests_in_flight"), 1);
  // The harness's store is not instrumented, but the default project's snapshot is published.
  EXPECT_EQ(SampleValue(text, R"(switchyard_flag_snapshot_version{project_id="1",environment="production"})"),
            1)
      << text;
}

TEST(MetricsRoutesTest, AFlagWriteBumpsTheSnapshotVersion) {
  ApiHarness api;
  nlohmann::json flag = {
      {"key", "f"},
      {"filters", {{"groups", {{{"properties", nlohmann::json::array()}, {"rollout_percentage", 100}}}}}}};
  ASSERT_EQ(api.Call("POST", "/api/v1/projects/default/flags", flag).status, 201);
  auto text = api.Call("GET", "/metrics").body;
  EXPECT_EQ(SampleValue(text, R"(switchyard_flag_snapshot_version{project_id="1",environment="production"})"),
            2)
      << text;
  EXPECT_TRUE(
      SampleValue(text,
                  R"(switchyard_flag_snapshot_rebuild_seconds{project_id="1",environment="production"})")
          .has_value());
}

TEST(MetricsRoutesTest, TheMetricsOnlyRouterServesMetricsWithoutAKeyAndNothingElse) {
  ApiHarness api;
  Router metrics_router(api.context().keys);
  RegisterMetricsRoute(metrics_router, api.context(), Access::kPublic);
  Request scrape;
  scrape.method = "GET";
  scrape.path = "/metrics";
  auto response = metrics_router.Handle(scrape);
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("# TYPE switchyard_http_requests_total counter"), std::string::npos);
  Request health;
  health.method = "GET";
  health.path = "/healthz";
  EXPECT_EQ(metrics_router.Handle(health).status, 404);
}

}  // namespace
}  // namespace switchyard::server
