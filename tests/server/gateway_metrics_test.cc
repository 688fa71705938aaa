// GatewayMetrics: counts, percentiles, the rolling window (on a clock the test advances), the
// /metrics text, and its bounds (series cap, error types).
#include "server/gateway_metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "support/prometheus_sample.h"

namespace switchyard::server {
namespace {

using gateway::CallRecord;
using switchyard::testing::ManualClock;
using switchyard::testing::SampleValue;
using Json = nlohmann::json;

constexpr char kLabels[] =
    R"(project="1",route="chat",variant="control",model="gpt-small@1.0.0",shadow="false")";

CallRecord Call(double latency_ms, bool success = true) {
  CallRecord call;
  call.project_id = 1;
  call.route = "chat";
  call.experiment = "chat-exp";
  call.variant = "control";
  call.model = "gpt-small@1.0.0";
  call.status = success ? 200 : 503;
  call.success = success;
  call.error_type = success ? "" : "upstream_5xx";
  call.latency_ms = latency_ms;
  return call;
}

const Json& OnlySeries(const Json& snapshot) {
  EXPECT_EQ(snapshot["series"].size(), 1u) << snapshot.dump();
  return snapshot["series"][0];
}

std::string Scrape(const GatewayMetrics& metrics) {
  PrometheusText text;
  metrics.AppendMetrics(text);
  return text.text();
}

TEST(GatewayMetricsTest, PercentilesAreWithinTheSketchAccuracy) {
  GatewayMetrics metrics;
  for (int ms = 1; ms <= 1000; ++ms) metrics.Record(Call(ms));
  const Json series = OnlySeries(metrics.Snapshot());
  const Json& latency = series["total"]["latency_ms"];
  EXPECT_NEAR(latency["p50"].get<double>(), 500, 500 * 0.021);
  EXPECT_NEAR(latency["p95"].get<double>(), 950, 950 * 0.021);
  EXPECT_NEAR(latency["p99"].get<double>(), 990, 990 * 0.021);
  EXPECT_EQ(series["total"]["requests"], 1000);
  EXPECT_EQ(series["total"]["success_rate"], 1.0);
  EXPECT_EQ(series["experiment"], "chat-exp");
  // Nothing was streamed: no time to first token.
  EXPECT_TRUE(series["total"]["ttft_ms"]["p50"].is_null());
  EXPECT_EQ(series["total"]["streamed"], 0);
}

TEST(GatewayMetricsTest, TimeToFirstTokenCountsStreamedCallsOnly) {
  GatewayMetrics metrics;
  CallRecord streamed = Call(900);
  streamed.ttft_ms = 120;
  metrics.Record(streamed);
  metrics.Record(Call(50));  // ttft -1: not streamed
  const Json total = OnlySeries(metrics.Snapshot())["total"];
  EXPECT_EQ(total["streamed"], 1);
  EXPECT_NEAR(total["ttft_ms"]["p50"].get<double>(), 120, 120 * 0.021);
  EXPECT_NEAR(total["ttft_ms"]["p95"].get<double>(), 120, 120 * 0.021);
}

TEST(GatewayMetricsTest, SumsTokensCostFallbacksErrorsAndRetries) {
  GatewayMetrics metrics;
  CallRecord call = Call(100);
  call.input_tokens = 1000;
  call.cached_input_tokens = 200;
  call.output_tokens = 50;
  call.reasoning_tokens = 7;
  call.cost = 0.25;
  call.fallback = true;
  call.attempts = 3;
  metrics.Record(call);
  metrics.Record(call);
  CallRecord failed = Call(30000, false);
  failed.error_type = "timeout";
  metrics.Record(failed);
  metrics.Record(Call(10, false));  // upstream_5xx

  const Json series = OnlySeries(metrics.Snapshot());
  const Json& total = series["total"];
  EXPECT_EQ(total["requests"], 4);
  EXPECT_EQ(total["successes"], 2);
  EXPECT_EQ(total["errors"], 2);
  EXPECT_EQ(total["success_rate"], 0.5);
  EXPECT_EQ(total["tokens"],
            (Json{{"input", 2000}, {"cached_input", 400}, {"output", 100}, {"reasoning", 14}}));
  EXPECT_DOUBLE_EQ(total["cost"].get<double>(), 0.5);
  EXPECT_EQ(total["fallbacks"], 2);
  EXPECT_EQ(series["errors"], (Json{{"timeout", 1}, {"upstream_5xx", 1}}));
  EXPECT_EQ(series["retries"], 4);
}

TEST(GatewayMetricsTest, RecentCoversTheLastMinuteOnly) {
  ManualClock clock;
  GatewayMetrics metrics({}, clock.AsClock());
  for (int i = 0; i < 10; ++i) metrics.Record(Call(1000));  // slow, at 0 s
  clock.Advance(std::chrono::seconds(30));
  for (int i = 0; i < 5; ++i) metrics.Record(Call(10, i != 0));  // fast, at 30 s; one failure

  Json series = OnlySeries(metrics.Snapshot());
  EXPECT_EQ(series["recent"]["requests"], 15);
  EXPECT_EQ(series["total"]["requests"], 15);

  clock.Advance(std::chrono::seconds(45));  // 75 s: the first ten are older than a minute
  series = OnlySeries(metrics.Snapshot());
  EXPECT_EQ(series["total"]["requests"], 15);
  EXPECT_EQ(series["recent"]["requests"], 5);
  EXPECT_EQ(series["recent"]["successes"], 4);
  EXPECT_DOUBLE_EQ(series["recent"]["success_rate"].get<double>(), 0.8);
  EXPECT_NEAR(series["recent"]["latency_ms"]["p99"].get<double>(), 10, 10 * 0.021);
  EXPECT_NEAR(series["total"]["latency_ms"]["p99"].get<double>(), 1000, 1000 * 0.021);

  clock.Advance(std::chrono::seconds(60));  // 135 s: nothing recent
  series = OnlySeries(metrics.Snapshot());
  EXPECT_EQ(series["recent"]["requests"], 0);
  EXPECT_TRUE(series["recent"]["success_rate"].is_null());
  EXPECT_TRUE(series["recent"]["latency_ms"]["p50"].is_null());

  // A slot reused after a minute starts empty: only the new call is in it.
  metrics.Record(Call(20));
  series = OnlySeries(metrics.Snapshot());
  EXPECT_EQ(series["recent"]["requests"], 1);
  EXPECT_EQ(series["total"]["requests"], 16);
}

TEST(GatewayMetricsTest, SeriesAreKeptPerRouteVariantModelAndShadow) {
  GatewayMetrics metrics;
  metrics.Record(Call(10));
  CallRecord treatment = Call(10);
  treatment.variant = "treatment";
  metrics.Record(treatment);
  CallRecord shadow = Call(10);
  shadow.shadow = true;
  shadow.model = "gpt-large@2.0.0";
  metrics.Record(shadow);
  CallRecord other_project = Call(10);
  other_project.project_id = 2;
  metrics.Record(other_project);
  const Json snapshot = metrics.Snapshot();
  ASSERT_EQ(snapshot["series"].size(), 4u);
  EXPECT_EQ(snapshot["window_seconds"], 60);
  int shadows = 0;
  for (const Json& series : snapshot["series"]) {
    EXPECT_EQ(series["total"]["requests"], 1);
    if (series["shadow"] == true) {
      ++shadows;
      EXPECT_EQ(series["model"], "gpt-large@2.0.0");
    }
  }
  EXPECT_EQ(shadows, 1);
}

TEST(GatewayMetricsTest, PrometheusSeriesCarryRouteVariantAndModel) {
  GatewayMetrics metrics;
  CallRecord ok = Call(300);
  ok.ttft_ms = 40;
  ok.overhead_us = 80;
  ok.input_tokens = 12;
  ok.cost = 0.5;
  metrics.Record(ok);
  metrics.Record(Call(20000, false));
  CallRecord shadow = Call(10);
  shadow.shadow = true;
  metrics.Record(shadow);
  metrics.CountShadowDropped("chat");
  metrics.CountShadowDropped("chat");

  const std::string text = Scrape(metrics);
  const std::string labels = kLabels;
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_requests_total{" + labels + R"(,outcome="success"})"), 1)
      << text;
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_requests_total{" + labels + R"(,outcome="error"})"), 1);
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_errors_total{" + labels + R"(,type="upstream_5xx"})"), 1);
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_tokens_total{" + labels + R"(,kind="input"})"), 12);
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_cost_total{" + labels + "}"), 0.5);
  // 300 ms is under 0.5 s, over 0.25 s; 20 s is only under 20 s and above.
  EXPECT_EQ(
      SampleValue(text, "switchyard_gateway_request_duration_seconds_bucket{" + labels + R"(,le="0.25"})"),
      0);
  EXPECT_EQ(
      SampleValue(text, "switchyard_gateway_request_duration_seconds_bucket{" + labels + R"(,le="0.5"})"), 1);
  EXPECT_EQ(
      SampleValue(text, "switchyard_gateway_request_duration_seconds_bucket{" + labels + R"(,le="20"})"), 2);
  EXPECT_EQ(
      SampleValue(text, "switchyard_gateway_request_duration_seconds_bucket{" + labels + R"(,le="+Inf"})"),
      2);
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_request_duration_seconds_count{" + labels + "}"), 2);
  EXPECT_NEAR(*SampleValue(text, "switchyard_gateway_request_duration_seconds_sum{" + labels + "}"), 20.3,
              1e-9);
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_time_to_first_token_seconds_count{" + labels + "}"), 1);
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_overhead_seconds_bucket{" + labels + R"(,le="0.0001"})"),
            2);
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_overhead_seconds_bucket{" + labels + R"(,le="0.00005"})"),
            1);
  EXPECT_EQ(
      SampleValue(text, R"(switchyard_gateway_requests_total{project="1",route="chat",variant="control",)"
                        R"(model="gpt-small@1.0.0",shadow="true",outcome="success"})"),
      1);
  EXPECT_EQ(SampleValue(text, R"(switchyard_gateway_shadow_dropped_total{route="chat"})"), 2);
  EXPECT_EQ(SampleValue(text, "switchyard_gateway_series_dropped_total"), 0);
  EXPECT_NE(text.find("# TYPE switchyard_gateway_request_duration_seconds histogram"), std::string::npos);
  EXPECT_EQ(metrics.Snapshot()["shadow_dropped"], (Json{{"chat", 2}}));
}

TEST(GatewayMetricsTest, SeriesPastTheCapAreCountedAsDropped) {
  GatewayMetrics metrics(GatewayMetricsOptions{.max_series = 1});
  metrics.Record(Call(10));
  CallRecord other = Call(10);
  other.route = "other";
  metrics.Record(other);
  metrics.Record(other);
  metrics.Record(Call(10));  // the kept series still records
  const Json snapshot = metrics.Snapshot();
  EXPECT_EQ(OnlySeries(snapshot)["total"]["requests"], 2);
  EXPECT_EQ(snapshot["series_dropped"], 2);
  EXPECT_EQ(SampleValue(Scrape(metrics), "switchyard_gateway_series_dropped_total"), 2);
}

TEST(GatewayMetricsTest, ErrorTypesPastTheFifteenthCountAsOther) {
  GatewayMetrics metrics;
  for (int i = 0; i < 20; ++i) {
    CallRecord failed = Call(10, false);
    failed.error_type = "type" + std::to_string(i);
    metrics.Record(failed);
  }
  CallRecord untyped = Call(10, false);
  untyped.error_type = "";
  metrics.Record(untyped);  // "unknown": a sixteenth type, so "other" too
  const Json errors = OnlySeries(metrics.Snapshot())["errors"];
  EXPECT_EQ(errors.size(), 16u) << errors.dump();
  EXPECT_EQ(errors["type14"], 1);
  EXPECT_EQ(errors["other"], 6);
  EXPECT_FALSE(errors.contains("type15"));
}

TEST(GatewayMetricsTest, ConcurrentRecordsAreAllCounted) {
  GatewayMetrics metrics;
  constexpr int kThreads = 4;
  constexpr int kCalls = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      CallRecord call = Call(5 + t);
      call.variant = t % 2 == 0 ? "control" : "treatment";
      call.output_tokens = 2;
      for (int i = 0; i < kCalls; ++i) metrics.Record(call);
    });
  }
  // Reading while they write must be safe (and is what a scrape does).
  for (int i = 0; i < 20; ++i) {
    (void)metrics.Snapshot();
    (void)Scrape(metrics);
  }
  for (auto& thread : threads) thread.join();
  const Json snapshot = metrics.Snapshot();
  ASSERT_EQ(snapshot["series"].size(), 2u);
  for (const Json& series : snapshot["series"]) {
    EXPECT_EQ(series["total"]["requests"], 2 * kCalls);
    EXPECT_EQ(series["total"]["tokens"]["output"], 4 * kCalls);
  }
}

}  // namespace
}  // namespace switchyard::server
