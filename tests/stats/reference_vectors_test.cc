// Every vector of ../shared/reference/stats-vectors.md, to the decimals it shows (a tolerance of
// half a unit in the last shown place).
#include <gtest/gtest.h>

#include <vector>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

constexpr double k5 = 0.5e-5;  // 5 decimals shown
constexpr double k4 = 0.5e-4;

Moments Mean(double sum, double sum_squares, double n) {
  Result<Moments> m = MomentsOf(MeanSums{sum, sum_squares, n});
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return *m;
}

Moments Proportion(double successes, double n) {
  Result<Moments> m = MomentsOf(ProportionCounts{successes, n});
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return *m;
}

FrequentistResult Frequentist(const Moments& control, const Moments& treatment) {
  Result<Effect> effect = EstimateEffect(control, treatment, Difference::kRelative);
  EXPECT_TRUE(effect.ok()) << effect.status().ToString();
  Result<FrequentistResult> result = FrequentistTest(*effect, 0.05);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return *result;
}

TEST(ReferenceVectorsTest, FrequentistMeanMetric) {
  FrequentistResult r = Frequentist(Mean(1396.87, 52377.9767, 3407), Mean(2422.7, 134698.29, 3461));
  EXPECT_NEAR(r.expected, 0.70732, k5);
  EXPECT_NEAR(r.standard_error, 0.37879, k5);
  EXPECT_NEAR(r.ci.lower, -0.03526, k5);
  EXPECT_NEAR(r.ci.upper, 1.44989, k5);
  EXPECT_NEAR(r.p_value, 0.06191, k5);
}

TEST(ReferenceVectorsTest, FrequentistProportionMetric) {
  FrequentistResult r = Frequentist(Proportion(14, 28), Proportion(16, 30));
  EXPECT_NEAR(r.expected, 0.06667, k5);
  EXPECT_NEAR(r.standard_error, 0.2717, k4);
  EXPECT_NEAR(r.ci.lower, -0.47767, k5);
  EXPECT_NEAR(r.ci.upper, 0.61101, k5);
  EXPECT_NEAR(r.p_value, 0.80707, k5);
}

TEST(ReferenceVectorsTest, BayesianFlatPrior) {
  Result<Effect> effect = EstimateEffect(Proportion(49, 100), Proportion(51, 100), Difference::kRelative);
  ASSERT_TRUE(effect.ok());
  Result<BayesianResult> r = BayesianTest(*effect, std::nullopt, 0.05);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->expected, 0.04082, k5);
  EXPECT_NEAR(r->standard_deviation, 0.14725, k5);
  EXPECT_NEAR(r->credible_interval.lower, -0.24779, k5);
  EXPECT_NEAR(r->credible_interval.upper, 0.32943, k5);
  EXPECT_NEAR(r->chance_to_win, 0.60918, k5);
}

TEST(ReferenceVectorsTest, SampleRatioMismatch) {
  const std::vector<double> half{0.5, 0.5};
  const std::vector<double> skewed{1000, 1200};
  Result<SrmResult> r = SampleRatioMismatch(skewed, half);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->p_value, 0.000020079, 0.5e-9);
  EXPECT_TRUE(r->mismatch);
  const std::vector<double> balanced{135, 115};
  r = SampleRatioMismatch(balanced, half);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->p_value, 0.205903211, 0.5e-9);
  EXPECT_FALSE(r->mismatch);
}

TEST(ReferenceVectorsTest, SequentialIntervalWithTuning5000) {
  Result<Effect> effect =
      EstimateEffect(Mean(1396.87, 52377.9767, 3407), Mean(2422.7, 134698.29, 3461), Difference::kRelative);
  ASSERT_TRUE(effect.ok());
  Result<SequentialResult> r = SequentialTest(*effect, 0.05, 5000);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(r->expected, 0.70732, k5);
  EXPECT_NEAR(r->ci.lower, -0.44442, k5);
  EXPECT_NEAR(r->ci.upper, 1.85906, k5);
}

}  // namespace
}  // namespace switchyard::stats
