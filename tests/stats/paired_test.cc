#include <gtest/gtest.h>

#include <vector>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

// R: t.test(extra ~ group, data = sleep, paired = TRUE) (Student's sleep data, Cushny & Peebles):
// t = -4.0621, df = 9, p-value = 0.002833, 95 % CI -2.4598858 -0.7001142, mean difference -1.58.
TEST(PairedTest, MatchesRsPairedTTestOnTheSleepData) {
  const std::vector<double> group1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
  const std::vector<double> group2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
  MeanSums differences;
  for (std::size_t i = 0; i < group1.size(); ++i) differences.Add(group1[i] - group2[i]);
  Result<Effect> effect = PairedEffect(differences);
  ASSERT_TRUE(effect.ok()) << effect.status().ToString();
  EXPECT_NEAR(effect.value().estimate, -1.58, 1e-12);
  EXPECT_DOUBLE_EQ(effect.value().degrees_of_freedom, 9);
  Result<FrequentistResult> test = FrequentistTest(effect.value(), 0.05);
  ASSERT_TRUE(test.ok());
  EXPECT_NEAR(effect.value().estimate / test.value().standard_error, -4.0621, 1e-4);
  EXPECT_NEAR(test.value().p_value, 0.002833, 1e-6);
  EXPECT_NEAR(test.value().ci.lower, -2.4598858, 1e-6);
  EXPECT_NEAR(test.value().ci.upper, -0.7001142, 1e-6);
}

TEST(PairedTest, NeedsTwoPairs) {
  MeanSums one;
  one.Add(1.0);
  EXPECT_FALSE(PairedEffect(one).ok());
}

}  // namespace
}  // namespace switchyard::stats
