#include <gtest/gtest.h>

#include <cmath>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

Effect EffectOf(double estimate, double variance) {
  Effect effect;
  effect.estimate = estimate;
  effect.variance = variance;
  effect.degrees_of_freedom = 100;
  effect.total_n = 100;
  return effect;
}

TEST(BayesianTest, GaussianPriorIsPrecisionWeighted) {
  // Equal precisions: the posterior mean is halfway, the variance halved.
  Result<BayesianResult> r = BayesianTest(EffectOf(0.1, 0.01), GaussianPrior{0, 0.01}, 0.05);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->expected, 0.05);
  EXPECT_NEAR(r->standard_deviation, std::sqrt(0.005), 1e-15);
  EXPECT_NEAR(r->chance_to_win, 0.76025, 0.5e-5);  // Φ(0.05/√0.005) = Φ(0.7071)
  // A prior far wider than the data changes almost nothing.
  r = BayesianTest(EffectOf(0.1, 0.01), GaussianPrior{0, 1e6}, 0.05);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->expected, 0.1, 1e-9);
}

TEST(BayesianTest, ExpectedLossesDifferByTheMean) {
  Result<BayesianResult> r = BayesianTest(EffectOf(0.02, 0.0004), std::nullopt, 0.05);
  ASSERT_TRUE(r.ok());
  // E[max(0, D)] − E[max(0, −D)] = E[D].
  EXPECT_NEAR(r->expected_loss_control - r->expected_loss_treatment, 0.02, 1e-12);
  EXPECT_GT(r->expected_loss_treatment, 0);
  EXPECT_LT(r->expected_loss_treatment, r->expected_loss_control);
  // With no effect both losses are s·φ(0) = s/√(2π).
  r = BayesianTest(EffectOf(0, 0.0004), std::nullopt, 0.05);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->expected_loss_treatment, 0.02 / std::sqrt(2 * M_PI), 1e-12);
  EXPECT_DOUBLE_EQ(r->chance_to_win, 0.5);
}

TEST(BayesianTest, LowerIsBetterFlipsTheChanceToWin) {
  Result<BayesianResult> higher = BayesianTest(EffectOf(0.05, 0.001), std::nullopt, 0.05);
  Result<BayesianResult> lower =
      BayesianTest(EffectOf(0.05, 0.001), std::nullopt, 0.05, Direction::kLowerIsBetter);
  ASSERT_TRUE(higher.ok() && lower.ok());
  EXPECT_NEAR(higher->chance_to_win + lower->chance_to_win, 1, 1e-12);
  EXPECT_DOUBLE_EQ(higher->expected_loss_treatment, lower->expected_loss_control);
}

TEST(BayesianTest, RefusesAPriorWithoutPositiveVariance) {
  Result<BayesianResult> r = BayesianTest(EffectOf(0.1, 0.01), GaussianPrior{0, 0}, 0.05);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "prior.variance");
}

}  // namespace
}  // namespace switchyard::stats
