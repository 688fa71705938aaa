#include <gtest/gtest.h>

#include <limits>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

TEST(WelchTest, UsesTheTDistributionWithTheEffectsDegreesOfFreedom) {
  // t(0.975, 10) = 2.228139 (any t table): a t statistic of exactly that has p = 0.05.
  Effect effect;
  effect.estimate = 2.228139;
  effect.variance = 1;
  effect.degrees_of_freedom = 10;
  Result<FrequentistResult> r = FrequentistTest(effect, 0.05);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->p_value, 0.05, 1e-6);
  EXPECT_NEAR(r->ci.lower, 0, 1e-6);
  EXPECT_NEAR(r->ci.upper, 2 * 2.228139, 1e-6);
}

TEST(WelchTest, InfiniteDegreesOfFreedomIsTheNormalTest) {
  Effect effect;
  effect.estimate = -1.959964;
  effect.variance = 1;
  effect.degrees_of_freedom = std::numeric_limits<double>::infinity();
  Result<FrequentistResult> r = FrequentistTest(effect, 0.05);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->p_value, 0.05, 1e-6);
  EXPECT_NEAR(r->ci.upper, 0, 1e-6);
}

TEST(WelchTest, RefusesAnAlphaOutsideZeroToOne) {
  Effect effect;
  effect.estimate = 1;
  effect.variance = 1;
  effect.degrees_of_freedom = 10;
  for (double alpha : {0.0, 1.0, -0.1, 2.0}) {
    Result<FrequentistResult> r = FrequentistTest(effect, alpha);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().field(), "alpha");
  }
}

}  // namespace
}  // namespace switchyard::stats
