#include <gtest/gtest.h>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

TEST(DeltaMethodTest, AbsoluteDifferenceAddsTheMeansVariances) {
  Result<Effect> e = EstimateEffect({10, 4, 100}, {11, 9, 50}, Difference::kAbsolute);
  ASSERT_TRUE(e.ok());
  EXPECT_DOUBLE_EQ(e->estimate, 1);
  EXPECT_DOUBLE_EQ(e->variance, 4.0 / 100 + 9.0 / 50);
  EXPECT_EQ(e->total_n, 150);
}

TEST(DeltaMethodTest, RelativeLiftVarianceIsTheDeltaMethods) {
  Result<Effect> e = EstimateEffect({10, 4, 100}, {11, 9, 50}, Difference::kRelative);
  ASSERT_TRUE(e.ok());
  EXPECT_DOUBLE_EQ(e->estimate, 0.1);
  EXPECT_DOUBLE_EQ(e->variance, (9.0 / 50) / 100 + 121 * (4.0 / 100) / 10000);
  // A negative control mean: the lift is still "treatment above control" when positive.
  e = EstimateEffect({-10, 4, 100}, {-9, 9, 50}, Difference::kRelative);
  ASSERT_TRUE(e.ok());
  EXPECT_DOUBLE_EQ(e->estimate, 0.1);
}

TEST(DeltaMethodTest, WelchDegreesOfFreedom) {
  // Equal variances and sizes: ν = 2(n − 1).
  Result<Effect> e = EstimateEffect({0, 1, 21}, {0, 1, 21}, Difference::kAbsolute);
  ASSERT_TRUE(e.ok());
  EXPECT_DOUBLE_EQ(e->degrees_of_freedom, 40);
  // One variant without variance: ν is the other's n − 1.
  e = EstimateEffect({1, 0, 5}, {2, 3, 11}, Difference::kAbsolute);
  ASSERT_TRUE(e.ok());
  EXPECT_DOUBLE_EQ(e->degrees_of_freedom, 10);
}

TEST(DeltaMethodTest, UndefinedDifferencesAreRefused) {
  Result<Effect> e = EstimateEffect({0, 1, 10}, {1, 1, 10}, Difference::kRelative);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().field(), "control");
  EXPECT_TRUE(EstimateEffect({0, 1, 10}, {1, 1, 10}, Difference::kAbsolute).ok());
  e = EstimateEffect({1, 0, 10}, {2, 0, 10}, Difference::kAbsolute);
  EXPECT_FALSE(e.ok());
  e = EstimateEffect({1, 1, 10}, {2, 1, 1}, Difference::kAbsolute);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().field(), "treatment.n");
}

}  // namespace
}  // namespace switchyard::stats
