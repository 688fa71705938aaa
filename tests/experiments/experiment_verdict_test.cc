// Each branch of the verdict, through AnalyzeExperiment on constructed aggregates, with the
// reasons it gives in words.
#include "experiments/experiment_verdict.h"

#include <gtest/gtest.h>

#include "experiments/aggregate_builder.h"
#include "experiments/experiment_analysis.h"

namespace switchyard::experiments {
namespace {

using testing::Conversions;
using testing::kNowMs;
using testing::MakeExperiment;
using testing::Metric;

struct Scenario {
  Experiment experiment = MakeExperiment();
  std::int64_t control_exposures = 1000;
  std::int64_t treatment_exposures = 1000;
  MetricSums control = Conversions(100, 1000);
  MetricSums treatment = Conversions(100, 1000);
  std::optional<std::pair<MetricSums, MetricSums>> guardrail;  // "errors", lower is better
  std::int64_t multiple_exposure_users = 0;

  Verdict Run() {
    std::map<std::string, MetricDefinition> defs{
        {"conversion", Metric("conversion", MetricKind::kConversion)}};
    defs["errors"] = Metric("errors", MetricKind::kConversion, stats::Direction::kLowerIsBetter);
    defs["errors"].name = "error rate";
    ExperimentAggregate a;
    a.multiple_exposure_users = multiple_exposure_users;
    a.variants.push_back({"control", control_exposures, {{"conversion", control}}, {}});
    a.variants.push_back({"treatment", treatment_exposures, {{"conversion", treatment}}, {}});
    if (guardrail) {
      experiment.guardrail_metrics = {"errors"};
      a.variants[0].metrics["errors"] = guardrail->first;
      a.variants[1].metrics["errors"] = guardrail->second;
    }
    Result<ExperimentResults> r = AnalyzeExperiment(experiment, defs, a, kNowMs);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->verdict : Verdict{};
  }
};

std::string Joined(const Verdict& v) {
  std::string out;
  for (const std::string& r : v.reasons) out += r + "\n";
  return out;
}

TEST(ExperimentVerdictTest, ShipsASignificantlyBetterTreatment) {
  Scenario s;
  s.treatment = Conversions(135, 1000);
  s.guardrail = {{Conversions(50, 1000), Conversions(50, 1000)}};
  Verdict v = s.Run();
  EXPECT_EQ(v.decision, Decision::kShip);
  EXPECT_STREQ(DecisionName(v.decision), "ship");
  EXPECT_EQ(v.variant, "treatment");
  EXPECT_TRUE(v.is_significant);
  ASSERT_TRUE(v.improvement.has_value());
  EXPECT_NEAR(*v.improvement, 0.35, 1e-9);
  ASSERT_EQ(v.reasons.size(), 2u) << Joined(v);
  EXPECT_EQ(v.reasons[0].rfind("treatment raises conversion by 35.0 % (95 % interval +", 0), 0u) << Joined(v);
  EXPECT_EQ(v.reasons[1], "no guardrail is worse");
}

TEST(ExperimentVerdictTest, ShipsTheBestOfTwoBetterTreatments) {
  Experiment e = MakeExperiment({"control", "a", "b"});
  std::map<std::string, MetricDefinition> defs{{"conversion", Metric("conversion", MetricKind::kConversion)}};
  ExperimentAggregate a;
  a.variants.push_back({"control", 2000, {{"conversion", Conversions(200, 2000)}}, {}});
  a.variants.push_back({"a", 2000, {{"conversion", Conversions(270, 2000)}}, {}});
  a.variants.push_back({"b", 2000, {{"conversion", Conversions(300, 2000)}}, {}});
  Result<ExperimentResults> r = AnalyzeExperiment(e, defs, a, kNowMs);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->verdict.decision, Decision::kShip);
  EXPECT_EQ(r->verdict.variant, "b");
  EXPECT_EQ(r->verdict.primary_variant, "b");
  EXPECT_NE(Joined(r->verdict).find("a raises conversion by 35.0 %"), std::string::npos)
      << Joined(r->verdict);
}

TEST(ExperimentVerdictTest, ShipsControlWhenEveryTreatmentIsWorse) {
  Scenario s;
  s.treatment = Conversions(65, 1000);
  Verdict v = s.Run();
  EXPECT_EQ(v.decision, Decision::kShip);
  EXPECT_EQ(v.variant, "control");
  EXPECT_EQ(v.primary_variant, "treatment");
  EXPECT_TRUE(v.is_significant);
  EXPECT_NE(Joined(v).find("treatment lowers conversion by 35.0 %"), std::string::npos) << Joined(v);
  EXPECT_NE(Joined(v).find("keep control"), std::string::npos);
}

TEST(ExperimentVerdictTest, AWorseGuardrailStopsEvenAWinner) {
  Scenario s;
  s.treatment = Conversions(135, 1000);
  s.guardrail = {{Conversions(50, 1000), Conversions(80, 1000)}};
  Verdict v = s.Run();
  EXPECT_EQ(v.decision, Decision::kStopGuardrail);
  EXPECT_TRUE(v.variant.empty());
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0].rfind("treatment raises error rate by 60.0 %", 0), 0u) << v.reasons[0];
  EXPECT_NE(v.reasons[0].find("guardrail error rate is worse"), std::string::npos);
  EXPECT_TRUE(v.is_significant);  // the headline still describes the primary metric
}

TEST(ExperimentVerdictTest, ABetterGuardrailIsNoBreach) {
  Scenario s;
  s.treatment = Conversions(135, 1000);
  s.guardrail = {{Conversions(80, 1000), Conversions(50, 1000)}};
  EXPECT_EQ(s.Run().decision, Decision::kShip);
}

TEST(ExperimentVerdictTest, NoEffectOnceThePlannedDurationHasPassed) {
  Scenario s;
  s.experiment = MakeExperiment({"control", "treatment"}, 15);
  Verdict v = s.Run();
  EXPECT_EQ(v.decision, Decision::kStopNoEffect);
  EXPECT_FALSE(v.is_significant);
  EXPECT_EQ(v.primary_variant, "treatment");
  EXPECT_EQ(Joined(v), "no treatment is significantly better on conversion after 15.0 days (14 planned)\n");
}

TEST(ExperimentVerdictTest, KeepsRunningBeforeThePlannedDuration) {
  Scenario s;
  Verdict v = s.Run();
  EXPECT_EQ(v.decision, Decision::kKeepRunning);
  EXPECT_EQ(Joined(v), "no significant difference on conversion yet\nday 3.0 of 14 planned\n");
}

TEST(ExperimentVerdictTest, KeepsRunningWhileTheMinimumSampleIsNotReachedEvenIfSignificant) {
  Scenario s;
  s.experiment.minimum_sample_per_variant = 5000;
  s.treatment = Conversions(135, 1000);
  Verdict v = s.Run();
  EXPECT_EQ(v.decision, Decision::kKeepRunning);
  EXPECT_TRUE(v.is_significant);
  EXPECT_NE(Joined(v).find("the minimum sample of 5000 exposures per variant is not reached (control 1000, "
                           "treatment 1000)"),
            std::string::npos)
      << Joined(v);
  EXPECT_NE(Joined(v).find("so far"), std::string::npos);
}

TEST(ExperimentVerdictTest, SampleRatioMismatchIsInvalid) {
  Scenario s;
  s.control_exposures = 1000;
  s.treatment_exposures = 1200;
  s.treatment = Conversions(135, 1000);
  Verdict v = s.Run();
  EXPECT_EQ(v.decision, Decision::kInvalid);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0].rfind(
                "sample-ratio mismatch: exposures 1000 / 1200 against a 50 / 50 split (p = 2e-05", 0),
            0u)
      << v.reasons[0];
}

TEST(ExperimentVerdictTest, MultipleExposuresOverOnePercentAreInvalid) {
  Scenario s;
  s.multiple_exposure_users = 21;  // 21 / 2021 = 1.04 %
  Verdict v = s.Run();
  EXPECT_EQ(v.decision, Decision::kInvalid);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0],
            "1.0 % of exposed users saw more than one variant (the limit is 1 %): excluding them "
            "biases the comparison");
  s.multiple_exposure_users = 20;  // 0.99 %
  EXPECT_EQ(s.Run().decision, Decision::kKeepRunning);
}

TEST(ExperimentVerdictTest, NoPrimaryMetricKeepsRunning) {
  Scenario s;
  s.experiment.primary_metric.clear();
  Verdict v = s.Run();
  EXPECT_EQ(v.decision, Decision::kKeepRunning);
  EXPECT_EQ(Joined(v), "the experiment has no primary metric: nothing decides it\n");
  EXPECT_FALSE(v.improvement.has_value());
}

TEST(ExperimentVerdictTest, AbsoluteLiftsOfRatesAreInPercentagePoints) {
  Scenario s;
  s.experiment.analysis.difference = stats::Difference::kAbsolute;
  s.treatment = Conversions(135, 1000);
  Verdict v = s.Run();
  ASSERT_EQ(v.decision, Decision::kShip);
  EXPECT_EQ(v.reasons[0].rfind("treatment raises conversion by 3.50 percentage points", 0), 0u)
      << v.reasons[0];
}

}  // namespace
}  // namespace switchyard::experiments
