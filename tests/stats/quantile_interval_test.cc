#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

std::vector<double> OneTo(int n) {
  std::vector<double> values(n);
  for (int i = 0; i < n; ++i) values[i] = i + 1;
  return values;
}

TEST(QuantileIntervalTest, SortedSampleAnswersTheInverseEmpiricalCdf) {
  const std::vector<double> values = OneTo(10);
  SortedSample sample(values);
  EXPECT_EQ(sample.Quantile(0), 1);
  EXPECT_EQ(sample.Quantile(0.5), 5);
  EXPECT_EQ(sample.Quantile(0.51), 6);
  EXPECT_EQ(sample.Quantile(0.95), 10);
  EXPECT_EQ(sample.Quantile(1), 10);
}

TEST(QuantileIntervalTest, MedianIntervalIsTheBinomialOrderStatistics) {
  const std::vector<double> values = OneTo(1000);
  SortedSample sample(values);
  Result<QuantileEstimate> r = EstimateQuantile(sample, 0.5, 0.05);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // 500 ∓ 1.959964·√250 = 500 ∓ 30.99, rounded outwards: ranks 469 and 531.
  EXPECT_EQ(r->estimate, 500);
  EXPECT_EQ(r->ci.lower, 469);
  EXPECT_EQ(r->ci.upper, 531);
  EXPECT_NEAR(r->standard_error, 62 / (2 * 1.959964), 1e-5);
}

// A sketch that answers ranks only to within 1 % of n widens the interval by 10 ranks each way.
class CoarseSketch final : public QuantileSource {
 public:
  explicit CoarseSketch(std::span<const double> sorted) : exact_(sorted) {}
  double Count() const override { return exact_.Count(); }
  double Quantile(double fraction) const override { return exact_.Quantile(fraction); }
  double RankError() const override { return 0.01; }

 private:
  SortedSample exact_;
};

TEST(QuantileIntervalTest, ASketchsRankErrorWidensTheInterval) {
  const std::vector<double> values = OneTo(1000);
  Result<QuantileEstimate> r = EstimateQuantile(CoarseSketch(values), 0.5, 0.05);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ci.lower, 459);
  EXPECT_EQ(r->ci.upper, 541);
}

TEST(QuantileIntervalTest, CoversTheTrueMedianAboutNinetyFivePercentOfTheTime) {
  std::mt19937_64 rng(11);
  std::exponential_distribution<double> exponential(1.0);
  const double true_median = std::log(2.0);
  int covered = 0;
  const int runs = 1000;
  std::vector<double> values(400);
  for (int run = 0; run < runs; ++run) {
    for (double& v : values) v = exponential(rng);
    std::sort(values.begin(), values.end());
    Result<QuantileEstimate> r = EstimateQuantile(SortedSample(values), 0.5, 0.05);
    ASSERT_TRUE(r.ok());
    covered += r->ci.Excludes(true_median) ? 0 : 1;
  }
  EXPECT_GE(covered, 930);
  EXPECT_LE(covered, 980);  // conservative rounding, but not vacuous
}

TEST(QuantileIntervalTest, DifferenceOfP95FindsAShiftAndCoversIt) {
  std::mt19937_64 rng(5);
  std::exponential_distribution<double> exponential(1.0);
  const double shift = 0.3;
  int covered = 0;
  int detected = 0;
  const int runs = 400;
  std::vector<double> control(2000);
  std::vector<double> treatment(2000);
  for (int run = 0; run < runs; ++run) {
    for (double& v : control) v = exponential(rng);
    for (double& v : treatment) v = exponential(rng) + shift;
    std::sort(control.begin(), control.end());
    std::sort(treatment.begin(), treatment.end());
    Result<Effect> effect =
        QuantileEffect(SortedSample(control), SortedSample(treatment), 0.95, Difference::kAbsolute, 0.05);
    ASSERT_TRUE(effect.ok()) << effect.status().ToString();
    Result<FrequentistResult> r = FrequentistTest(*effect, 0.05);
    ASSERT_TRUE(r.ok());
    covered += r->ci.Excludes(shift) ? 0 : 1;
    detected += r->ci.lower > 0 ? 1 : 0;
  }
  EXPECT_GE(covered, runs * 0.92);
  EXPECT_LE(covered, runs * 0.995);
  EXPECT_GT(detected, runs / 10);  // a 0.3 shift of p95 ≈ 3.0 is small but not invisible
}

TEST(QuantileIntervalTest, RefusesAQuantileOutsideZeroToOne) {
  const std::vector<double> values = OneTo(10);
  Result<QuantileEstimate> r = EstimateQuantile(SortedSample(values), 1.0, 0.05);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "quantile");
  const std::vector<double> empty;
  r = EstimateQuantile(SortedSample(empty), 0.5, 0.05);
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace switchyard::stats
