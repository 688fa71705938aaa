// A/A experiments (no true effect), seeded: how often each method calls a winner. The sums grow
// one unit at a time, as the aggregator's do, and are never re-summed.
#include <gtest/gtest.h>

#include <random>

#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

constexpr int kExperiments = 2000;

// Revenue-like values: mean 10, standard deviation 3.
double Draw(std::mt19937_64& rng, std::normal_distribution<double>& normal) {
  return 10 + 3 * normal(rng);
}

TEST(AaSimulationTest, FixedHorizonFalsePositivesAreNearAlpha) {
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> normal;
  int false_positives = 0;
  for (int experiment = 0; experiment < kExperiments; ++experiment) {
    MeanSums control;
    MeanSums treatment;
    for (int i = 0; i < 1000; ++i) {
      control.Add(Draw(rng, normal));
      treatment.Add(Draw(rng, normal));
    }
    Result<Effect> effect = EstimateEffect(*MomentsOf(control), *MomentsOf(treatment), Difference::kRelative);
    ASSERT_TRUE(effect.ok());
    Result<FrequentistResult> r = FrequentistTest(*effect, 0.05);
    ASSERT_TRUE(r.ok());
    false_positives += r->p_value < 0.05 ? 1 : 0;
  }
  const double rate = static_cast<double>(false_positives) / kExperiments;
  EXPECT_GE(rate, 0.035);
  EXPECT_LE(rate, 0.065);
}

TEST(AaSimulationTest, FixedHorizonProportionsFalsePositivesAreNearAlpha) {
  std::mt19937_64 rng(99);
  std::bernoulli_distribution converts(0.2);
  int false_positives = 0;
  for (int experiment = 0; experiment < kExperiments; ++experiment) {
    ProportionCounts control{0, 2000};
    ProportionCounts treatment{0, 2000};
    for (int i = 0; i < 2000; ++i) {
      control.successes += converts(rng) ? 1 : 0;
      treatment.successes += converts(rng) ? 1 : 0;
    }
    Result<Effect> effect = EstimateEffect(*MomentsOf(control), *MomentsOf(treatment), Difference::kRelative);
    ASSERT_TRUE(effect.ok());
    false_positives += FrequentistTest(*effect, 0.05)->p_value < 0.05 ? 1 : 0;
  }
  const double rate = static_cast<double>(false_positives) / kExperiments;
  EXPECT_GE(rate, 0.035);
  EXPECT_LE(rate, 0.065);
}

// Peeking after every 100 users (randomly assigned) up to 10,000: an experiment counts as a false
// positive if any look's sequential interval excludes 0. The same peeking with fixed-horizon
// intervals must fail far more often, or the test would not show anything.
TEST(AaSimulationTest, SequentialStaysWithinAlphaWhenPeekingEveryHundredUsers) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  std::bernoulli_distribution coin(0.5);
  int sequential_false_positives = 0;
  int peeking_fixed_false_positives = 0;
  for (int experiment = 0; experiment < kExperiments; ++experiment) {
    MeanSums control;
    MeanSums treatment;
    bool sequential_rejected = false;
    bool fixed_rejected = false;
    for (int user = 1; user <= 10000; ++user) {
      (coin(rng) ? treatment : control).Add(Draw(rng, normal));
      if (user % 100 != 0 || control.n < 2 || treatment.n < 2) continue;
      Result<Effect> effect =
          EstimateEffect(*MomentsOf(control), *MomentsOf(treatment), Difference::kRelative);
      ASSERT_TRUE(effect.ok());
      const double half = SequentialHalfWidth(effect->variance, effect->total_n, 0.05, 5000);
      sequential_rejected = sequential_rejected || std::abs(effect->estimate) > half;
      fixed_rejected = fixed_rejected || FrequentistTest(*effect, 0.05)->p_value < 0.05;
      if (sequential_rejected && fixed_rejected) break;
    }
    sequential_false_positives += sequential_rejected ? 1 : 0;
    peeking_fixed_false_positives += fixed_rejected ? 1 : 0;
  }
  EXPECT_LE(static_cast<double>(sequential_false_positives) / kExperiments, 0.05);
  EXPECT_GE(static_cast<double>(peeking_fixed_false_positives) / kExperiments, 0.15);
}

}  // namespace
}  // namespace switchyard::stats
