#include "experiments/health_checks.h"

#include <gtest/gtest.h>

#include "experiments/aggregate_builder.h"

namespace switchyard::experiments {
namespace {

using testing::IsoFromMs;
using testing::kDayMs;
using testing::kNowMs;
using testing::MakeExperiment;

std::vector<VariantSummary> Summaries(std::int64_t control, std::int64_t treatment,
                                      std::int64_t minimum = 100) {
  return {{"control", 50, control, control >= minimum}, {"treatment", 50, treatment, treatment >= minimum}};
}

TEST(HealthChecksTest, SrmIsTheEngineChiSquareOnExposuresAgainstSplits) {
  Experiment e = MakeExperiment();
  HealthChecks h = CheckHealth(e, Summaries(1000, 1200), 0, 0, kNowMs);
  EXPECT_NEAR(h.srm.p_value, 0.000020079, 1e-9);  // the reference vector
  EXPECT_TRUE(h.srm.mismatch);
  h = CheckHealth(e, Summaries(135, 115), 0, 0, kNowMs);
  EXPECT_NEAR(h.srm.p_value, 0.205903211, 1e-9);
  EXPECT_FALSE(h.srm.mismatch);
  e.variants = {{"control", 70}, {"treatment", 30}};
  h = CheckHealth(e, {{"control", 70, 700, true}, {"treatment", 30, 300, true}}, 0, 0, kNowMs);
  EXPECT_NEAR(h.srm.p_value, 1, 1e-12);  // exactly the configured 70/30
}

TEST(HealthChecksTest, MultipleExposureShareIsOfAllExposedUsers) {
  Experiment e = MakeExperiment();
  HealthChecks h = CheckHealth(e, Summaries(990, 990), 20, 0, kNowMs);
  EXPECT_DOUBLE_EQ(h.multiple_exposure_share, 0.01);  // 20 of 2,000: at the limit, not over it
  EXPECT_FALSE(h.multiple_exposures_invalid);
  h = CheckHealth(e, Summaries(990, 989), 21, 0, kNowMs);
  EXPECT_TRUE(h.multiple_exposures_invalid);
  h = CheckHealth(e, Summaries(0, 0), 0, 0, kNowMs);
  EXPECT_EQ(h.multiple_exposure_share, 0);
  EXPECT_EQ(h.srm.p_value, 1);
}

TEST(HealthChecksTest, MinimumSampleNeedsEveryVariant) {
  Experiment e = MakeExperiment();
  EXPECT_FALSE(CheckHealth(e, Summaries(100, 99), 0, 0, kNowMs).minimum_sample_reached);
  EXPECT_TRUE(CheckHealth(e, Summaries(100, 100), 0, 0, kNowMs).minimum_sample_reached);
}

TEST(HealthChecksTest, DaysRunningFromStartUntilNowOrTheStop) {
  Experiment e = MakeExperiment({"control", "treatment"}, 2.5);
  HealthChecks h = CheckHealth(e, Summaries(1, 1), 0, 0, kNowMs);
  EXPECT_DOUBLE_EQ(h.days_running, 2.5);
  EXPECT_FALSE(h.planned_duration_reached);
  e.status = ExperimentStatus::kStopped;
  e.stopped_at = IsoFromMs(kNowMs - 2 * kDayMs);
  h = CheckHealth(e, Summaries(1, 1), 0, 0, kNowMs);
  EXPECT_DOUBLE_EQ(h.days_running, 0.5);
  e = MakeExperiment({"control", "treatment"}, 14);
  EXPECT_TRUE(CheckHealth(e, Summaries(1, 1), 0, 0, kNowMs).planned_duration_reached);
  // No start recorded: the first exposure stands in; neither: not started.
  e.started_at.clear();
  EXPECT_DOUBLE_EQ(CheckHealth(e, Summaries(1, 1), 0, kNowMs - kDayMs, kNowMs).days_running, 1);
  h = CheckHealth(e, Summaries(0, 0), 0, 0, kNowMs);
  EXPECT_EQ(h.days_running, 0);
  EXPECT_FALSE(h.planned_duration_reached);
}

}  // namespace
}  // namespace switchyard::experiments
