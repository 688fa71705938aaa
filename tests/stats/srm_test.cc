#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

TEST(SrmTest, ThreeVariantsAgainstUnequalWeights) {
  // E = 500, 250, 250: χ² = 0 + 10²/250 + 10²/250 = 0.8, df 2, p = e^(−0.8/2).
  const std::vector<double> counts{500, 260, 240};
  const std::vector<double> weights{0.5, 0.25, 0.25};
  Result<SrmResult> r = SampleRatioMismatch(counts, weights);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->chi_square, 0.8);
  EXPECT_EQ(r->degrees_of_freedom, 2);
  EXPECT_NEAR(r->p_value, std::exp(-0.4), 1e-12);
  EXPECT_FALSE(r->mismatch);
}

TEST(SrmTest, WeightsAreNormalized) {
  const std::vector<double> counts{1000, 1200};
  const std::vector<double> raw{1, 1};
  const std::vector<double> half{0.5, 0.5};
  EXPECT_DOUBLE_EQ(SampleRatioMismatch(counts, raw)->p_value, SampleRatioMismatch(counts, half)->p_value);
}

TEST(SrmTest, OneVariantOrNoUnitsIsNoMismatch) {
  const std::vector<double> one{1000};
  const std::vector<double> one_weight{1};
  EXPECT_EQ(SampleRatioMismatch(one, one_weight)->p_value, 1);
  const std::vector<double> none{0, 0};
  const std::vector<double> half{0.5, 0.5};
  Result<SrmResult> r = SampleRatioMismatch(none, half);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->p_value, 1);
  EXPECT_FALSE(r->mismatch);
}

TEST(SrmTest, RefusesBadInputNamingIt) {
  const std::vector<double> counts{10, -1};
  const std::vector<double> half{0.5, 0.5};
  Result<SrmResult> r = SampleRatioMismatch(counts, half);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "counts[1]");
  const std::vector<double> good{10, 10};
  const std::vector<double> zero_weight{0.5, 0};
  r = SampleRatioMismatch(good, zero_weight);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "weights[1]");
  const std::vector<double> three{1, 1, 1};
  r = SampleRatioMismatch(good, three);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "weights");
}

}  // namespace
}  // namespace switchyard::stats
