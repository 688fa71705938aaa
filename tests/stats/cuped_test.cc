#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

// Units whose metric y has correlation `rho` with the pre-exposure covariate x; `lift` is added
// to the treatment's y.
struct Simulated {
  CovariateSums control;
  CovariateSums treatment;
  MeanSums control_y;
  MeanSums treatment_y;
};

Simulated Simulate(double rho, double lift, int per_variant, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Simulated s;
  for (int i = 0; i < per_variant; ++i) {
    for (bool treated : {false, true}) {
      const double x = 10 + normal(rng);
      const double y = 10 + rho * (x - 10) + std::sqrt(1 - rho * rho) * normal(rng) + (treated ? lift : 0);
      (treated ? s.treatment : s.control).Add(x, y);
      (treated ? s.treatment_y : s.control_y).Add(y);
    }
  }
  return s;
}

double Width(const Moments& control, const Moments& treatment, Difference difference) {
  Result<Effect> effect = EstimateEffect(control, treatment, difference);
  EXPECT_TRUE(effect.ok());
  Result<FrequentistResult> r = FrequentistTest(*effect, 0.05);
  EXPECT_TRUE(r.ok());
  return r->ci.upper - r->ci.lower;
}

TEST(CupedTest, CorrelationPointSevenNarrowsTheIntervalToAboutSeventyOnePercent) {
  const Simulated s = Simulate(0.7, 0, 20000, 42);
  Result<CupedAdjusted> adjusted = CupedAdjust(s.control, s.treatment);
  ASSERT_TRUE(adjusted.ok()) << adjusted.status().ToString();
  EXPECT_NEAR(adjusted->theta, 0.7, 0.02);
  for (Difference difference : {Difference::kAbsolute, Difference::kRelative}) {
    const double plain = Width(*MomentsOf(s.control_y), *MomentsOf(s.treatment_y), difference);
    const double cuped = Width(adjusted->control, adjusted->treatment, difference);
    // √(1 − 0.7²) ≈ 0.714.
    EXPECT_GT(cuped / plain, 0.66);
    EXPECT_LT(cuped / plain, 0.76);
  }
}

TEST(CupedTest, KeepsTheEffectUnbiased) {
  const Simulated s = Simulate(0.7, 0.05, 20000, 7);
  Result<CupedAdjusted> adjusted = CupedAdjust(s.control, s.treatment);
  ASSERT_TRUE(adjusted.ok());
  Result<Effect> effect = EstimateEffect(adjusted->control, adjusted->treatment, Difference::kAbsolute);
  ASSERT_TRUE(effect.ok());
  // Within 3 standard errors of the true lift.
  EXPECT_NEAR(effect->estimate, 0.05, 3 * std::sqrt(effect->variance));
}

TEST(CupedTest, NarrowsProportionsToo) {
  // Converted (y = 1) when a latent score correlated with the pre-period's conversions is high.
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  CovariateSums control;
  CovariateSums treatment;
  ProportionCounts plain_c;
  ProportionCounts plain_t;
  for (int i = 0; i < 40000; ++i) {
    for (bool treated : {false, true}) {
      const double latent = normal(rng);
      const double x = latent + 0.5 * normal(rng) > 0.8 ? 1 : 0;  // converted before exposure
      const double y = latent + 0.5 * normal(rng) > 0.8 ? 1 : 0;
      (treated ? treatment : control).Add(x, y);
      ProportionCounts& plain = treated ? plain_t : plain_c;
      plain.successes += y;
      plain.n += 1;
    }
  }
  Result<CupedAdjusted> adjusted = CupedAdjust(control, treatment);
  ASSERT_TRUE(adjusted.ok());
  EXPECT_GT(adjusted->theta, 0.3);
  const double plain = Width(*MomentsOf(plain_c), *MomentsOf(plain_t), Difference::kRelative);
  EXPECT_LT(Width(adjusted->control, adjusted->treatment, Difference::kRelative) / plain, 0.9);
}

TEST(CupedTest, ACovariateThatDoesNotVaryChangesNothing) {
  CovariateSums control;
  CovariateSums treatment;
  for (double y : {1.0, 3.0, 4.0}) control.Add(5, y);
  for (double y : {2.0, 6.0}) treatment.Add(5, y);
  Result<CupedAdjusted> adjusted = CupedAdjust(control, treatment);
  ASSERT_TRUE(adjusted.ok());
  EXPECT_EQ(adjusted->theta, 0);
  EXPECT_DOUBLE_EQ(adjusted->control.mean, 8.0 / 3);
  EXPECT_DOUBLE_EQ(adjusted->treatment.variance, 8);
}

TEST(CupedTest, RefusesTooFewUnits) {
  CovariateSums control;
  control.Add(1, 1);
  CovariateSums treatment;
  treatment.Add(1, 1);
  treatment.Add(2, 2);
  Result<CupedAdjusted> adjusted = CupedAdjust(control, treatment);
  ASSERT_FALSE(adjusted.ok());
  EXPECT_EQ(adjusted.status().field(), "control.n");
}

}  // namespace
}  // namespace switchyard::stats
