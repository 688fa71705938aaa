#include <gtest/gtest.h>

#include <cmath>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

// An effect whose estimate has variance σ²·(4/N), as a difference of two means over N/2 each.
Effect EffectAt(double estimate, double total_n, double per_unit_variance = 1) {
  Effect effect;
  effect.estimate = estimate;
  effect.variance = per_unit_variance * 4 / total_n;
  effect.degrees_of_freedom = total_n - 2;
  effect.total_n = total_n;
  return effect;
}

TEST(SequentialTest, WiderThanTheFixedHorizonIntervalAtEveryNAndNarrowingAsNGrows) {
  double previous_width = INFINITY;
  for (double n = 20; n <= 2e7; n *= 1.5) {
    const Effect effect = EffectAt(0.1, n);
    Result<SequentialResult> seq = SequentialTest(effect, 0.05, 5000);
    Result<FrequentistResult> fixed = FrequentistTest(effect, 0.05);
    ASSERT_TRUE(seq.ok() && fixed.ok());
    const double width = seq->ci.upper - seq->ci.lower;
    EXPECT_GT(width, fixed->ci.upper - fixed->ci.lower) << "N = " << n;
    EXPECT_LT(width, previous_width) << "N = " << n;
    EXPECT_NEAR(seq->ci.upper + seq->ci.lower, 2 * 0.1, 1e-12);  // centred on the estimate
    previous_width = width;
  }
}

// The p-value solver assumes the half-width falls as α grows (ρ moves with α).
TEST(SequentialTest, HalfWidthFallsAsAlphaGrows) {
  for (double n : {10.0, 100.0, 5000.0, 1e5, 1e8}) {
    for (double tuning : {100.0, 5000.0, 1e6}) {
      double previous = INFINITY;
      for (double alpha = 1e-12; alpha < 1; alpha = alpha < 0.01 ? alpha * 3 : alpha + 0.01) {
        const double half = SequentialHalfWidth(4.0 / n, n, alpha, tuning);
        EXPECT_LT(half, previous) << "N " << n << " N* " << tuning << " alpha " << alpha;
        previous = half;
      }
    }
  }
}

// The always-valid p-value is the smallest α whose interval excludes 0: below α exactly when
// the α-level interval excludes 0, and the interval at α = p touches 0.
TEST(SequentialTest, PValueIsConsistentWithTheInterval) {
  for (double n : {100.0, 5000.0, 80000.0}) {
    for (double estimate = -0.5; estimate <= 0.5; estimate += 0.01) {
      const Effect effect = EffectAt(estimate, n);
      Result<SequentialResult> r = SequentialTest(effect, 0.05, 5000);
      ASSERT_TRUE(r.ok());
      for (double alpha : {0.01, 0.05, 0.1, 0.3}) {
        Result<SequentialResult> at = SequentialTest(effect, alpha, 5000);
        ASSERT_TRUE(at.ok());
        EXPECT_EQ(r->p_value < alpha, at->ci.Excludes(0)) << "N " << n << " Δ " << estimate << " α " << alpha;
      }
      if (r->p_value < 1 && r->p_value > 1e-300) {
        const double half = SequentialHalfWidth(effect.variance, n, r->p_value, 5000);
        EXPECT_NEAR(half, std::abs(estimate), 1e-7 * std::abs(estimate));
      }
    }
  }
}

TEST(SequentialTest, NoEffectHasPValueOne) {
  Result<SequentialResult> r = SequentialTest(EffectAt(0, 1000), 0.05, 5000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->p_value, 1);
}

TEST(SequentialTest, RefusesABadTuningOrAlpha) {
  Result<SequentialResult> r = SequentialTest(EffectAt(0.1, 1000), 0.05, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "tuning");
  r = SequentialTest(EffectAt(0.1, 1000), 1.5, 5000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "alpha");
}

}  // namespace
}  // namespace switchyard::stats
