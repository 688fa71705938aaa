#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

TEST(SufficientStatsTest, MeanSumsGiveTheSampleMeanAndVariance) {
  MeanSums sums;
  for (double v : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) sums.Add(v);
  Result<Moments> m = MomentsOf(sums);
  ASSERT_TRUE(m.ok());
  EXPECT_DOUBLE_EQ(m->mean, 5.0);
  EXPECT_DOUBLE_EQ(m->variance, 32.0 / 7.0);  // Σ(x − 5)² = 32, over n − 1
  EXPECT_EQ(m->n, 8);
}

TEST(SufficientStatsTest, ProportionVarianceIsPTimesOneMinusP) {
  Result<Moments> m = MomentsOf(ProportionCounts{14, 28});
  ASSERT_TRUE(m.ok());
  EXPECT_DOUBLE_EQ(m->mean, 0.5);
  EXPECT_DOUBLE_EQ(m->variance, 0.25);
}

// The delta-method variance of ā/b̄ equals Var(a − R·b)/b̄² with R = ā/b̄ (expand the square):
// computing that from the raw units checks the covariance term independently.
TEST(SufficientStatsTest, RatioVarianceIncludesTheCovarianceTerm) {
  const std::vector<double> a{3, 5, 2, 8, 6, 1, 7};
  const std::vector<double> b{2, 3, 1, 5, 4, 1, 4};
  RatioSums sums;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sums.sum_a += a[i];
    sums.sum_b += b[i];
    sums.sum_a_squares += a[i] * a[i];
    sums.sum_b_squares += b[i] * b[i];
    sums.sum_ab += a[i] * b[i];
    sums.n += 1;
  }
  Result<Moments> m = MomentsOf(sums);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const double ratio = sums.sum_a / sums.sum_b;
  EXPECT_DOUBLE_EQ(m->mean, ratio);
  const double mean_b = sums.sum_b / sums.n;
  double residual_ss = 0;
  double residual_mean = 0;
  for (std::size_t i = 0; i < a.size(); ++i) residual_mean += (a[i] - ratio * b[i]) / sums.n;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double r = a[i] - ratio * b[i] - residual_mean;
    residual_ss += r * r;
  }
  EXPECT_NEAR(m->variance, residual_ss / (sums.n - 1) / (mean_b * mean_b), 1e-12);
  // a and b are strongly correlated here: without the covariance term it would be far larger.
  const double var_a = (sums.sum_a_squares - sums.sum_a * sums.sum_a / sums.n) / (sums.n - 1);
  EXPECT_LT(m->variance, var_a / (mean_b * mean_b) / 4);
}

TEST(SufficientStatsTest, ImpossibleSumsAreRefusedNamingTheField) {
  Result<Moments> m = MomentsOf(MeanSums{10, 1, 5}, "control");  // Σx² < (Σx)²/n
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().field(), "control.sum_squares");
  m = MomentsOf(MeanSums{10, 100, 1}, "treatment");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().field(), "treatment.n");
  m = MomentsOf(ProportionCounts{29, 28}, "control");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().field(), "control.successes");
  m = MomentsOf(ProportionCounts{1, 2.5});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().field(), "n");
  m = MomentsOf(RatioSums{1, 0, 1, 0, 0, 3});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().field(), "sum_b");
  m = MomentsOf(MeanSums{NAN, 1, 3});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().field(), "sum");
}

TEST(SufficientStatsTest, CappingWinsorizesBeforeTheSums) {
  const Capping capping{0.0, 100.0};
  EXPECT_EQ(Capped(-5, capping), 0);
  EXPECT_EQ(Capped(50, capping), 50);
  EXPECT_EQ(Capped(1e9, capping), 100);
  EXPECT_EQ(Capped(1e9, Capping{}), 1e9);
}

}  // namespace
}  // namespace switchyard::stats
