// ServerMetrics with a hand-driven clock: labels come only from the route table and bounded
// sets, durations land in the right buckets, gauges follow the events.
#include "server/server_metrics.h"

#include <gtest/gtest.h>

#include "support/prometheus_sample.h"

namespace switchyard::server {
namespace {

using std::chrono::milliseconds;
using switchyard::testing::ManualClock;
using switchyard::testing::SampleValue;

class ServerMetricsTest : public ::testing::Test {
 protected:
  ServerMetricsTest() : metrics_(clock_.AsClock()) {
    metrics_.DeclareRoutes({"/healthz", "/api/v1/projects/{project}/flags/{key}", "/healthz"});
  }

  void Request(std::string_view route, std::string_view method, int status, milliseconds takes) {
    auto started = metrics_.OnRequestStarted();
    clock_.Advance(takes);
    metrics_.OnRequestFinished(route, method, status, started);
  }

  std::string Text() const {
    PrometheusText text;
    metrics_.AppendTo(text);
    return text.text();
  }

  ManualClock clock_;
  ServerMetrics metrics_;
};

TEST_F(ServerMetricsTest, CountsRequestsByRouteMethodAndStatus) {
  const std::string flag = "/api/v1/projects/{project}/flags/{key}";
  Request("/healthz", "GET", 200, milliseconds(1));
  Request("/healthz", "GET", 200, milliseconds(1));
  Request(flag, "PATCH", 409, milliseconds(1));
  Request(flag, "DELETE", 204, milliseconds(1));
  auto text = Text();
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="/healthz",method="GET",status="200"})"), 2);
  EXPECT_EQ(SampleValue(text, R"(switchyard_http_requests_total{route=")" + flag +
                                  R"(",method="PATCH",status="409"})"),
            1);
  EXPECT_EQ(SampleValue(text, R"(switchyard_http_requests_total{route=")" + flag +
                                  R"(",method="DELETE",status="204"})"),
            1);
  // Series that never happened are not invented.
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="/healthz",method="POST",status="200"})"),
      std::nullopt);
}

TEST_F(ServerMetricsTest, RawPathsUnknownMethodsAndOddStatusesStayBounded) {
  Request("/api/v1/projects/acme/flags/f1", "GET", 404, milliseconds(1));
  Request("/no/such/route", "GET", 404, milliseconds(1));
  Request("/healthz", "BREW", 405, milliseconds(1));
  Request("/healthz", "GET", 1000, milliseconds(1));
  auto text = Text();
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="unmatched",method="GET",status="404"})"), 2);
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="/healthz",method="other",status="405"})"),
      1);
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_http_requests_total{route="/healthz",method="GET",status="599"})"), 1);
  EXPECT_EQ(text.find("acme"), std::string::npos) << text;
  EXPECT_EQ(text.find("BREW"), std::string::npos) << text;
}

TEST_F(ServerMetricsTest, LatencyHistogramPerRouteFromTheInjectedClock) {
  Request("/healthz", "GET", 200, milliseconds(2));    // <= 0.0025
  Request("/healthz", "HEAD", 200, milliseconds(40));  // <= 0.05
  auto text = Text();
  const std::string bucket = R"(switchyard_http_request_duration_seconds_bucket{route="/healthz",le=")";
  EXPECT_EQ(SampleValue(text, bucket + R"(0.001"})"), 0);
  EXPECT_EQ(SampleValue(text, bucket + R"(0.0025"})"), 1);
  EXPECT_EQ(SampleValue(text, bucket + R"(0.025"})"), 1);
  EXPECT_EQ(SampleValue(text, bucket + R"(0.05"})"), 2);
  EXPECT_EQ(SampleValue(text, bucket + R"(+Inf"})"), 2);
  EXPECT_EQ(SampleValue(text, R"(switchyard_http_request_duration_seconds_count{route="/healthz"})"), 2);
  EXPECT_DOUBLE_EQ(*SampleValue(text, R"(switchyard_http_request_duration_seconds_sum{route="/healthz"})"),
                   0.042);
}

TEST_F(ServerMetricsTest, GaugesFollowTheEvents) {
  metrics_.OnConnectionOpened();
  metrics_.OnConnectionOpened();
  metrics_.OnConnectionClosed();
  auto first = metrics_.OnRequestStarted();
  metrics_.OnRequestStarted();
  metrics_.OnRequestFinished("/healthz", "GET", 200, first);
  metrics_.SetWorkerQueueDepth(7);
  auto text = Text();
  EXPECT_EQ(SampleValue(text, "switchyard_http_open_connections"), 1);
  EXPECT_EQ(SampleValue(text, "switchyard_http_requests_in_flight"), 1);
  EXPECT_EQ(SampleValue(text, "switchyard_worker_queue_depth"), 7);
}

TEST_F(ServerMetricsTest, StoreOperationLatencyByOperation) {
  metrics_.OnStoreOperation(store::StoreOperation::kGetPerson, std::chrono::microseconds(200));
  metrics_.OnStoreOperation(store::StoreOperation::kGetPerson, std::chrono::microseconds(300));
  metrics_.OnStoreOperation(store::StoreOperation::kUpdateFlag, milliseconds(8));
  auto text = Text();
  const std::string get_person = R"({operation="get_person"})";
  EXPECT_EQ(SampleValue(text, "switchyard_store_operation_duration_seconds_count" + get_person), 2);
  EXPECT_DOUBLE_EQ(*SampleValue(text, "switchyard_store_operation_duration_seconds_sum" + get_person),
                   0.0005);
  EXPECT_EQ(
      SampleValue(text,
                  R"(switchyard_store_operation_duration_seconds_bucket{operation="update_flag",le="0.01"})"),
      1);
  EXPECT_EQ(SampleValue(text, R"(switchyard_store_operation_duration_seconds_count{operation="list_audit"})"),
            std::nullopt);
}

TEST_F(ServerMetricsTest, EveryFamilyHasHelpAndTypeOnce) {
  Request("/healthz", "GET", 200, milliseconds(1));
  auto text = Text();
  for (const char* family :
       {"switchyard_http_requests_total", "switchyard_http_request_duration_seconds",
        "switchyard_http_requests_in_flight", "switchyard_http_open_connections",
        "switchyard_worker_queue_depth", "switchyard_store_operation_duration_seconds"}) {
    std::string type = std::string("# TYPE ") + family + " ";
    auto at = text.find(type);
    EXPECT_NE(at, std::string::npos) << family;
    EXPECT_EQ(text.find(type, at + 1), std::string::npos) << family;
    EXPECT_NE(text.find(std::string("# HELP ") + family + " "), std::string::npos) << family;
  }
}

}  // namespace
}  // namespace switchyard::server
