#include <gtest/gtest.h>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

// Chow, Shao & Wang, Sample Size Calculations in Clinical Research (2nd ed.), §4.2, two-sample
// test of equality of proportions: (1.95996 + 0.84162)² · (0.1·0.9 + 0.11·0.89) / 0.01² = 14,748.05
// -> 14,749 per variant (the task's table value is "about 14,750").
TEST(PowerTest, ProportionTenPercentBaselineTenPercentLift) {
  PowerInputs in;
  in.baseline = 0.10;
  in.relative_mde = 0.10;
  Result<PowerResult> r = SampleSize(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->per_variant, 14749);
  EXPECT_EQ(r->total, 2 * 14749);
}

// Means with effect size δ/σ = 0.5 (Cohen's "medium"): 2·(z₀.₉₇₅ + z₀.₈)²/0.25 = 62.8 -> 63 per
// group (the normal approximation; Cohen's t-based table says 64).
TEST(PowerTest, MeanMediumEffectSize) {
  PowerInputs in;
  in.metric = PowerInputs::Metric::kMean;
  in.baseline = 10;
  in.standard_deviation = 10;
  in.relative_mde = 0.5;
  Result<PowerResult> r = SampleSize(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->per_variant, 63);
}

TEST(PowerTest, MoreVariantsSplitAlpha) {
  PowerInputs in;
  in.baseline = 0.10;
  in.relative_mde = 0.10;
  in.variants = 3;
  Result<PowerResult> r = SampleSize(in);
  ASSERT_TRUE(r.ok());
  EXPECT_DOUBLE_EQ(r->alpha_per_comparison, 0.025);
  EXPECT_EQ(r->per_variant, 17860);  // (z₀.₉₈₇₅ + z₀.₈)² · 0.1879 / 0.0001 = 17,859.96
  EXPECT_EQ(r->total, 3 * 17860);
}

TEST(PowerTest, RefusesImpossiblePlans) {
  PowerInputs in;
  in.baseline = 0.6;
  in.relative_mde = 1.0;  // 120 %
  Result<PowerResult> r = SampleSize(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "relative_mde");
  in.relative_mde = 0;
  EXPECT_EQ(SampleSize(in).status().field(), "relative_mde");
  in.relative_mde = 0.1;
  in.power = 1;
  EXPECT_EQ(SampleSize(in).status().field(), "power");
}

}  // namespace
}  // namespace switchyard::stats
