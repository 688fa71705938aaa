// The JSON shape docs/API.md promises for experiment results.
#include "experiments/results_json.h"

#include <gtest/gtest.h>

#include "experiments/aggregate_builder.h"
#include "experiments/experiment_analysis.h"

namespace switchyard::experiments {
namespace {

using nlohmann::json;
using testing::Conversions;
using testing::kNowMs;
using testing::MakeExperiment;
using testing::Metric;

json ResultsJson() {
  Experiment e = MakeExperiment({"control", "a", "b"});
  e.secondary_metrics = {"ghost"};
  e.guardrail_metrics = {"errors"};
  std::map<std::string, MetricDefinition> defs{
      {"conversion", Metric("conversion", MetricKind::kConversion)},
      {"errors", Metric("errors", MetricKind::kConversion, stats::Direction::kLowerIsBetter)}};
  ExperimentAggregate a;
  a.multiple_exposure_users = 3;
  a.variants.push_back({"control",
                        1000,
                        {{"conversion", Conversions(100, 1000)}, {"errors", Conversions(5, 1000)}},
                        {{0, 1000, {{"conversion", Conversions(100, 1000)}}}}});
  a.variants.push_back(
      {"a", 1000, {{"conversion", Conversions(135, 1000)}, {"errors", Conversions(5, 1000)}}, {}});
  // b has no data at all.
  Result<ExperimentResults> r = AnalyzeExperiment(e, defs, a, kNowMs);
  EXPECT_TRUE(r.ok());
  return ResultsToJson(*r);
}

TEST(ResultsJsonTest, TopLevelShape) {
  json j = ResultsJson();
  EXPECT_EQ(j["experiment"], "checkout");
  EXPECT_EQ(j["status"], "running");
  EXPECT_EQ(j["computed_at_ms"], kNowMs);
  EXPECT_EQ(j["analysis"], json({{"method", "frequentist"},
                                 {"difference", "relative"},
                                 {"alpha", 0.05},
                                 {"correction", "none"},
                                 {"cuped", false},
                                 {"sequential_tuning", nullptr},
                                 {"prior", nullptr}}));
  ASSERT_EQ(j["variants"].size(), 3u);
  EXPECT_EQ(j["variants"][0], json({{"key", "control"},
                                    {"is_control", true},
                                    {"split", 100.0 / 3},
                                    {"exposures", 1000},
                                    {"minimum_sample_reached", true}}));
  EXPECT_EQ(j["variants"][2]["exposures"], 0);
  // Round trip: no NaN or infinity anywhere (they would not parse).
  EXPECT_EQ(json::parse(j.dump()), j);
}

TEST(ResultsJsonTest, MetricsComparisonsAndAbsentValues) {
  json j = ResultsJson();
  ASSERT_EQ(j["metrics"].size(), 3u);
  const json& m = j["metrics"][0];
  EXPECT_EQ(m["key"], "conversion");
  EXPECT_EQ(m["role"], "primary");
  EXPECT_EQ(m["kind"], "conversion");
  EXPECT_EQ(m["direction"], "higher_is_better");
  EXPECT_TRUE(m["percentile"].is_null());
  EXPECT_EQ(m["cuped_applied"], false);
  ASSERT_EQ(m["variants"].size(), 3u);
  EXPECT_EQ(m["variants"][0]["value"], 0.1);
  EXPECT_EQ(m["variants"][0]["ci"].size(), 2u);
  EXPECT_TRUE(m["variants"][0]["reason"].is_null());
  EXPECT_TRUE(m["variants"][2]["value"].is_null());
  EXPECT_EQ(m["variants"][2]["reason"], "no units yet");
  ASSERT_EQ(m["comparisons"].size(), 2u);
  const json& a = m["comparisons"][0];
  for (const char* key : {"variant", "lift", "ci", "p_value", "adjusted_p_value", "chance_to_win",
                          "expected_loss", "cuped_applied", "is_significant", "outcome", "reason"}) {
    EXPECT_TRUE(a.contains(key)) << key;
  }
  EXPECT_NEAR(a["lift"].get<double>(), 0.35, 1e-12);
  EXPECT_EQ(a["is_significant"], true);
  EXPECT_EQ(a["outcome"], "better");
  EXPECT_TRUE(a["expected_loss"].contains("treatment"));
  const json& b = m["comparisons"][1];
  EXPECT_TRUE(b["lift"].is_null());
  EXPECT_TRUE(b["reason"].is_string());
  EXPECT_EQ(b["outcome"], "none");
  EXPECT_EQ(j["metrics"][1]["defined"], false);
  EXPECT_TRUE(j["metrics"][1]["kind"].is_null());
  EXPECT_EQ(j["metrics"][2]["role"], "guardrail");
  EXPECT_EQ(j["metrics"][2]["direction"], "lower_is_better");
}

TEST(ResultsJsonTest, HealthVerdictAndTimeSeries) {
  json j = ResultsJson();
  const json& h = j["health"];
  EXPECT_EQ(h["srm"]["mismatch"], true);  // 1000 / 1000 / 0 against thirds
  EXPECT_EQ(h["srm"]["threshold"], 0.001);
  EXPECT_EQ(h["multiple_exposures"]["users"], 3);
  EXPECT_EQ(h["multiple_exposures"]["threshold"], 0.01);
  EXPECT_EQ(h["minimum_sample"]["below"], json::array({"b"}));
  EXPECT_EQ(h["duration"]["planned_days"], 14);
  EXPECT_DOUBLE_EQ(h["duration"]["days_running"].get<double>(), 3);
  const json& v = j["verdict"];
  EXPECT_EQ(v["decision"], "invalid");
  EXPECT_TRUE(v["variant"].is_null());
  EXPECT_EQ(v["reasons"].size(), 1u);
  EXPECT_EQ(v["primary"]["metric"], "conversion");
  EXPECT_EQ(v["primary"]["variant"], "a");
  EXPECT_EQ(v["primary"]["is_significant"], true);
  EXPECT_EQ(v["primary"]["ci"].size(), 2u);
  const json& t = j["timeseries"];
  EXPECT_EQ(t["hour_start_ms"], json::array({0}));
  EXPECT_EQ(t["exposures"][0], json({{"variant", "control"}, {"value", {1000}}}));
  ASSERT_EQ(t["metrics"].size(), 2u);  // defined metrics only
  EXPECT_EQ(t["metrics"][0]["key"], "conversion");
  EXPECT_EQ(t["metrics"][0]["values"][0]["value"], json::array({0.1}));
  EXPECT_EQ(t["metrics"][0]["values"][1]["value"], json::array({nullptr}));
  EXPECT_EQ(t["metrics"][0]["lifts"][0]["variant"], "a");
  EXPECT_EQ(t["metrics"][0]["lifts"][0]["lower"].size(), 1u);
}

}  // namespace
}  // namespace switchyard::experiments
