#include "gateway/shadow_comparison.h"

#include <gtest/gtest.h>

namespace switchyard::gateway {
namespace {

CallOutcome Outcome(bool success, double latency_ms, std::int64_t output_tokens, double cost,
                    std::string text) {
  CallOutcome outcome;
  outcome.success = success;
  outcome.latency_ms = latency_ms;
  outcome.output_tokens = output_tokens;
  outcome.cost = cost;
  outcome.response_bytes = text.size();
  outcome.text = std::move(text);
  return outcome;
}

TEST(ShadowComparisonsTest, PairedDifferencesSeeAShiftThatPerRequestNoiseWouldHide) {
  ShadowComparisons comparisons;
  // Latencies vary a lot from request to request (10..400 ms) but the shadow is always 5 ms
  // slower, give or take 1: a paired test sees it at once.
  for (int i = 0; i < 40; ++i) {
    const double base = 10.0 + (i * 37 % 390);
    const double jitter = (i % 3) - 1.0;
    comparisons.Add(1, "chat", Outcome(true, base, 100, 0.001, "same"),
                    Outcome(true, base + 5 + jitter, 120, 0.002, i % 4 == 0 ? "other" : "same"));
  }
  const nlohmann::json report = comparisons.Report(1, "chat");
  EXPECT_EQ(report["pairs"], 40);
  EXPECT_EQ(report["both_succeeded"], 40);
  EXPECT_EQ(report["identical"], 30);
  const nlohmann::json& latency = report["latency_ms"]["difference"];
  EXPECT_NEAR(latency["mean"].get<double>(), 5.0, 0.1);
  EXPECT_TRUE(latency["significant"].get<bool>());
  EXPECT_GT(latency["ci"][0].get<double>(), 4.0);
  EXPECT_LT(latency["ci"][1].get<double>(), 6.0);
  EXPECT_DOUBLE_EQ(report["output_tokens"]["difference"]["mean"].get<double>(), 20.0);
}

TEST(ShadowComparisonsTest, FailuresCountButDoNotComparePayloads) {
  ShadowComparisons comparisons;
  comparisons.Add(1, "chat", Outcome(true, 10, 5, 0, "a"), Outcome(false, 30, 0, 0, ""));
  comparisons.Add(1, "chat", Outcome(true, 12, 5, 0, "a"), Outcome(true, 14, 5, 0, "a"));
  const nlohmann::json report = comparisons.Report(1, "chat");
  EXPECT_EQ(report["pairs"], 2);
  EXPECT_DOUBLE_EQ(report["shadow_success_rate"].get<double>(), 0.5);
  EXPECT_EQ(report["both_succeeded"], 1);
  EXPECT_EQ(report["identical"], 1);
  EXPECT_TRUE(report["output_tokens"]["difference"].is_null());  // one pair: no test yet
  EXPECT_EQ(comparisons.Report(1, "other")["pairs"], 0);
  EXPECT_EQ(comparisons.Report(2, "chat")["pairs"], 0);
}

}  // namespace
}  // namespace switchyard::gateway
