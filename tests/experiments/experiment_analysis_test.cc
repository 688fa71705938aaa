// AnalyzeExperiment on constructed aggregates: each number against the stats engine called
// directly and, for the simplest, against the arithmetic done by hand.
#include "experiments/experiment_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "experiments/aggregate_builder.h"

namespace switchyard::experiments {
namespace {

using testing::Conversions;
using testing::kNowMs;
using testing::MakeExperiment;
using testing::Metric;
using testing::Sketched;
using testing::Values;

ExperimentAggregate Aggregate(const Experiment& e, const std::vector<std::int64_t>& exposures,
                              const std::map<std::string, std::vector<MetricSums>>& metrics) {
  ExperimentAggregate a;
  a.experiment_key = e.key;
  for (std::size_t i = 0; i < e.variants.size(); ++i) {
    VariantAggregate v;
    v.variant = e.variants[i].key;
    v.exposures = exposures[i];
    for (const auto& [key, sums] : metrics) v.metrics[key] = sums[i];
    a.variants.push_back(std::move(v));
  }
  return a;
}

std::map<std::string, MetricDefinition> Defs(std::initializer_list<MetricDefinition> defs) {
  std::map<std::string, MetricDefinition> out;
  for (const MetricDefinition& d : defs) out[d.key] = d;
  return out;
}

ExperimentResults Analyze(const Experiment& e, const std::map<std::string, MetricDefinition>& defs,
                          const ExperimentAggregate& a) {
  Result<ExperimentResults> r = AnalyzeExperiment(e, defs, a, kNowMs);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ExperimentResults{};
}

TEST(ExperimentAnalysisTest, ConversionMatchesTheHandComputedDeltaMethod) {
  Experiment e = MakeExperiment();
  auto defs = Defs({Metric("conversion", MetricKind::kConversion)});
  ExperimentResults r =
      Analyze(e, defs,
              Aggregate(e, {1000, 1000}, {{"conversion", {Conversions(100, 1000), Conversions(130, 1000)}}}));
  ASSERT_EQ(r.metrics.size(), 1u);
  const MetricResult& m = r.metrics[0];
  ASSERT_EQ(m.variants.size(), 2u);
  EXPECT_DOUBLE_EQ(m.variants[0].value, 0.1);
  // 0.1 ± z(0.975)·√(0.1·0.9/1000)
  EXPECT_NEAR(m.variants[0].ci.lower, 0.1 - 1.959964 * std::sqrt(0.09 / 1000), 1e-6);
  EXPECT_NEAR(m.variants[1].ci.upper, 0.13 + 1.959964 * std::sqrt(0.13 * 0.87 / 1000), 1e-6);
  ASSERT_EQ(m.comparisons.size(), 1u);
  const VariantComparison& c = m.comparisons[0];
  ASSERT_TRUE(c.available) << c.reason;
  EXPECT_EQ(c.variant, "treatment");
  EXPECT_NEAR(c.expected, 0.3, 1e-12);
  // Var = pT(1−pT)/(n pC²) + pT² pC(1−pC)/(n pC⁴) = 0.01131 + 0.01521.
  const double se = std::sqrt(0.13 * 0.87 / (1000 * 0.01) + 0.0169 * 0.09 / (1000 * 0.0001));
  EXPECT_NEAR((c.ci.upper - c.ci.lower) / 2, 1.9600 * se, 0.002 * se);  // t with ν ≈ 1,900 ≈ z
  // And exactly what the engine says.
  stats::CompareOptions options;
  options.method = stats::Method::kFrequentist;
  auto direct = stats::Compare(*stats::MomentsOf(stats::ProportionCounts{100, 1000}),
                               *stats::MomentsOf(stats::ProportionCounts{130, 1000}), options);
  ASSERT_TRUE(direct.ok());
  EXPECT_DOUBLE_EQ(c.ci.lower, direct->ci.lower);
  EXPECT_DOUBLE_EQ(c.ci.upper, direct->ci.upper);
  EXPECT_DOUBLE_EQ(*c.p_value, *direct->p_value);
  // z = 0.3 / 0.1629 = 1.84: two-sided p ≈ 0.066, not significant at 0.05.
  EXPECT_NEAR(*c.p_value, std::erfc((0.3 / se) / std::sqrt(2.0)), 1e-3);
  EXPECT_FALSE(c.significant);
  EXPECT_EQ(c.outcome, Outcome::kNone);
  // The Bayesian extras come with every method: flat prior, so Φ(Δ/se).
  EXPECT_NEAR(c.chance_to_win, 0.5 * std::erfc(-(0.3 / se) / std::sqrt(2.0)), 1e-9);
  EXPECT_GT(c.expected_loss_control, c.expected_loss_treatment);
}

TEST(ExperimentAnalysisTest, SequentialIsTheEngineSequentialTestAndWiderThanFixedHorizon) {
  Experiment e = MakeExperiment();
  e.analysis.method = stats::Method::kSequential;
  auto defs = Defs({Metric("conversion", MetricKind::kConversion)});
  auto a = Aggregate(e, {1000, 1000}, {{"conversion", {Conversions(100, 1000), Conversions(130, 1000)}}});
  ExperimentResults r = Analyze(e, defs, a);
  const VariantComparison& c = r.metrics[0].comparisons[0];
  auto effect = stats::EstimateEffect(*stats::MomentsOf(stats::ProportionCounts{100, 1000}),
                                      *stats::MomentsOf(stats::ProportionCounts{130, 1000}),
                                      stats::Difference::kRelative);
  auto direct = stats::SequentialTest(*effect, 0.05, 5000);
  ASSERT_TRUE(direct.ok());
  EXPECT_DOUBLE_EQ(c.ci.lower, direct->ci.lower);
  EXPECT_DOUBLE_EQ(*c.p_value, direct->p_value);
  // The variant's own interval is the confidence sequence of its mean too.
  const double half = stats::SequentialHalfWidth(0.09 / 1000, 1000, 0.05, 5000);
  EXPECT_NEAR(r.metrics[0].variants[0].ci.upper, 0.1 + half, 1e-12);
  EXPECT_GT(half, 1.96 * std::sqrt(0.09 / 1000));
}

TEST(ExperimentAnalysisTest, AbsoluteDifferenceAndLowerIsBetterMeans) {
  Experiment e = MakeExperiment();
  e.primary_metric = "load_time";
  e.analysis.difference = stats::Difference::kAbsolute;
  auto defs = Defs({Metric("load_time", MetricKind::kMean, stats::Direction::kLowerIsBetter)});
  std::vector<double> control;
  std::vector<double> treatment;
  for (int i = 0; i < 500; ++i) {
    control.push_back(100 + (i % 10));
    treatment.push_back(95 + (i % 10));
  }
  ExperimentResults r =
      Analyze(e, defs, Aggregate(e, {500, 500}, {{"load_time", {Values(control), Values(treatment)}}}));
  const VariantComparison& c = r.metrics[0].comparisons[0];
  EXPECT_NEAR(c.expected, -5, 1e-9);
  EXPECT_TRUE(c.significant);
  EXPECT_EQ(c.outcome, Outcome::kBetter);  // lower is better
  EXPECT_GT(c.chance_to_win, 0.99);
  EXPECT_NEAR(r.metrics[0].variants[0].value, 104.5, 1e-9);
}

TEST(ExperimentAnalysisTest, RatioMetricUsesTheDeltaMethodMoments) {
  Experiment e = MakeExperiment();
  e.primary_metric = "cost_per_success";
  auto defs = Defs({Metric("cost_per_success", MetricKind::kRatio, stats::Direction::kLowerIsBetter)});
  auto ratio = [](double scale, int n) {
    MetricSums s;
    for (int i = 0; i < n; ++i) {
      const double a = scale * (1 + i % 7);
      const double b = 1 + i % 3;
      s.n += 1;
      s.sum += a;
      s.sum_squares += a * a;
      s.denominator_sum += b;
      s.denominator_sum_squares += b * b;
      s.cross_sum += a * b;
    }
    return s;
  };
  MetricSums c = ratio(1.0, 400);
  MetricSums t = ratio(1.1, 400);
  ExperimentResults r = Analyze(e, defs, Aggregate(e, {400, 400}, {{"cost_per_success", {c, t}}}));
  auto cm = stats::MomentsOf(
      stats::RatioSums{c.sum, c.denominator_sum, c.sum_squares, c.denominator_sum_squares, c.cross_sum, c.n});
  auto tm = stats::MomentsOf(
      stats::RatioSums{t.sum, t.denominator_sum, t.sum_squares, t.denominator_sum_squares, t.cross_sum, t.n});
  stats::CompareOptions options;
  options.method = stats::Method::kFrequentist;
  auto direct = stats::Compare(*cm, *tm, options);
  ASSERT_TRUE(direct.ok());
  EXPECT_DOUBLE_EQ(r.metrics[0].variants[0].value, c.sum / c.denominator_sum);
  EXPECT_NEAR(r.metrics[0].comparisons[0].expected, 0.1, 1e-9);  // every cost 10 % higher
  EXPECT_DOUBLE_EQ(r.metrics[0].comparisons[0].ci.upper, direct->ci.upper);
}

TEST(ExperimentAnalysisTest, PercentileMetricComparesTheSketches) {
  Experiment e = MakeExperiment();
  e.primary_metric = "latency_p95";
  MetricDefinition p95 = Metric("latency_p95", MetricKind::kPercentile, stats::Direction::kLowerIsBetter);
  p95.percentile = 0.95;
  std::vector<double> control;
  std::vector<double> treatment;
  for (int i = 1; i <= 2000; ++i) {
    control.push_back(i * 0.1);     // p95 ≈ 190
    treatment.push_back(i * 0.08);  // p95 ≈ 152
  }
  MetricSums c = Sketched(control);
  MetricSums t = Sketched(treatment);
  ExperimentResults r = Analyze(e, Defs({p95}), Aggregate(e, {2000, 2000}, {{"latency_p95", {c, t}}}));
  const MetricResult& m = r.metrics[0];
  EXPECT_EQ(m.percentile, 0.95);
  auto direct_value = stats::EstimateQuantile(stats::SketchQuantiles(*c.sketch), 0.95, 0.05);
  ASSERT_TRUE(direct_value.ok());
  EXPECT_DOUBLE_EQ(m.variants[0].value, direct_value->estimate);
  EXPECT_NEAR(m.variants[0].value, 190, 190 * 0.011);
  EXPECT_DOUBLE_EQ(m.variants[0].ci.lower, direct_value->ci.lower);
  auto effect = stats::QuantileEffect(stats::SketchQuantiles(*c.sketch), stats::SketchQuantiles(*t.sketch),
                                      0.95, stats::Difference::kRelative, 0.05);
  ASSERT_TRUE(effect.ok());
  auto direct = stats::FrequentistTest(*effect, 0.05);
  const VariantComparison& cmp = m.comparisons[0];
  EXPECT_DOUBLE_EQ(cmp.expected, direct->expected);
  EXPECT_DOUBLE_EQ(cmp.ci.lower, direct->ci.lower);
  EXPECT_NEAR(cmp.expected, -0.2, 0.02);
  EXPECT_EQ(cmp.outcome, Outcome::kBetter);
  EXPECT_FALSE(m.cuped_applied);
}

TEST(ExperimentAnalysisTest, HolmTakesAwayASignificanceThatOnlyOneOfFourComparisonsHad) {
  Experiment e = MakeExperiment({"control", "a", "b"});
  e.secondary_metrics = {"revenue"};
  auto defs = Defs({Metric("conversion", MetricKind::kConversion), Metric("revenue", MetricKind::kMean)});
  std::vector<double> revenue;
  for (int i = 0; i < 1000; ++i) revenue.push_back(i % 20);
  auto a =
      Aggregate(e, {1000, 1000, 1000},
                {{"conversion", {Conversions(100, 1000), Conversions(135, 1000), Conversions(101, 1000)}},
                 {"revenue", {Values(revenue), Values(revenue), Values(revenue)}}});
  ExperimentResults plain = Analyze(e, defs, a);
  const VariantComparison& before = plain.metrics[0].comparisons[0];
  ASSERT_GT(*before.p_value, 0.0125);  // below alpha, but not below alpha / 4
  ASSERT_LT(*before.p_value, 0.05);
  EXPECT_TRUE(before.significant);
  EXPECT_DOUBLE_EQ(*before.adjusted_p_value, *before.p_value);

  e.analysis.correction = Correction::kHolm;
  ExperimentResults holm = Analyze(e, defs, a);
  const VariantComparison& after = holm.metrics[0].comparisons[0];
  EXPECT_DOUBLE_EQ(*after.p_value, *before.p_value);
  EXPECT_DOUBLE_EQ(*after.adjusted_p_value, 4 * *before.p_value);  // the smallest of 4, times 4
  EXPECT_FALSE(after.significant);
  EXPECT_EQ(after.outcome, Outcome::kNone);
  EXPECT_NE(holm.verdict.decision, Decision::kShip);

  e.analysis.correction = Correction::kBenjaminiHochberg;
  ExperimentResults bh = Analyze(e, defs, a);
  EXPECT_DOUBLE_EQ(*bh.metrics[0].comparisons[0].adjusted_p_value, 4 * *before.p_value);  // rank 1 of 4
}

TEST(ExperimentAnalysisTest, GuardrailsAreJudgedAloneAtAlpha) {
  Experiment e = MakeExperiment({"control", "a", "b"});
  e.secondary_metrics = {"revenue"};
  e.guardrail_metrics = {"errors"};
  e.analysis.correction = Correction::kHolm;
  auto defs = Defs({Metric("conversion", MetricKind::kConversion), Metric("revenue", MetricKind::kMean),
                    Metric("errors", MetricKind::kConversion, stats::Direction::kLowerIsBetter)});
  std::vector<double> revenue;
  for (int i = 0; i < 1000; ++i) revenue.push_back(i % 20);
  auto a =
      Aggregate(e, {1000, 1000, 1000},
                {{"conversion", {Conversions(100, 1000), Conversions(100, 1000), Conversions(100, 1000)}},
                 {"revenue", {Values(revenue), Values(revenue), Values(revenue)}},
                 {"errors", {Conversions(100, 1000), Conversions(135, 1000), Conversions(100, 1000)}}});
  ExperimentResults r = Analyze(e, defs, a);
  const VariantComparison& g = r.metrics[2].comparisons[0];
  EXPECT_EQ(r.metrics[2].role, MetricRole::kGuardrail);
  EXPECT_FALSE(g.adjusted_p_value.has_value());
  EXPECT_TRUE(g.significant);  // p ≈ 0.04 alone: Holm over 4 would have hidden it
  EXPECT_EQ(g.outcome, Outcome::kWorse);
}

TEST(ExperimentAnalysisTest, CupedNarrowsTheIntervalAndSaysSo) {
  Experiment e = MakeExperiment();
  e.primary_metric = "revenue";
  auto defs = Defs({Metric("revenue", MetricKind::kMean)});
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  MetricSums sums[2];
  stats::CovariateSums cov[2];
  for (int v = 0; v < 2; ++v) {
    for (int i = 0; i < 2000; ++i) {
      const double x = 10 + normal(rng);
      const double y = 10 + 0.8 * (x - 10) + 0.6 * normal(rng) + (v == 1 ? 0.1 : 0);
      sums[v].n += 1;
      sums[v].sum += y;
      sums[v].sum_squares += y * y;
      sums[v].covariate_sum += x;
      sums[v].covariate_sum_squares += x * x;
      sums[v].covariate_cross_sum += x * y;
      cov[v].Add(x, y);
    }
  }
  auto a = Aggregate(e, {2000, 2000}, {{"revenue", {sums[0], sums[1]}}});
  ExperimentResults without = Analyze(e, defs, a);
  e.analysis.cuped = true;
  ExperimentResults with = Analyze(e, defs, a);
  EXPECT_FALSE(without.metrics[0].cuped_applied);
  ASSERT_TRUE(with.metrics[0].cuped_applied);
  const VariantComparison& c = with.metrics[0].comparisons[0];
  EXPECT_TRUE(c.cuped_applied);
  const double narrow = c.ci.upper - c.ci.lower;
  const double wide = without.metrics[0].comparisons[0].ci.upper - without.metrics[0].comparisons[0].ci.lower;
  EXPECT_NEAR(narrow / wide, 0.6, 0.05);  // √(1 − 0.8²)
  auto adjusted = stats::CupedAdjust(cov[0], cov[1]);
  ASSERT_TRUE(adjusted.ok());
  EXPECT_DOUBLE_EQ(c.cuped_theta, adjusted->theta);
  stats::CompareOptions options;
  options.method = stats::Method::kFrequentist;
  auto direct = stats::Compare(adjusted->control, adjusted->treatment, options);
  EXPECT_DOUBLE_EQ(c.ci.lower, direct->ci.lower);
  // The variant's value stays the observed mean.
  EXPECT_DOUBLE_EQ(with.metrics[0].variants[1].value, sums[1].sum / sums[1].n);
}

TEST(ExperimentAnalysisTest, CupedIsNotAppliedWithoutACovariateOrToPercentiles) {
  Experiment e = MakeExperiment();
  e.analysis.cuped = true;
  auto defs = Defs({Metric("conversion", MetricKind::kConversion)});
  ExperimentResults r =
      Analyze(e, defs,
              Aggregate(e, {1000, 1000}, {{"conversion", {Conversions(100, 1000), Conversions(130, 1000)}}}));
  EXPECT_FALSE(r.metrics[0].cuped_applied);
  EXPECT_FALSE(r.metrics[0].comparisons[0].cuped_applied);
}

TEST(ExperimentAnalysisTest, MissingDataAndDefinitionsAreReportedNotRefused) {
  Experiment e = MakeExperiment({"control", "a", "b"});
  e.secondary_metrics = {"ghost"};
  auto defs = Defs({Metric("conversion", MetricKind::kConversion)});
  ExperimentAggregate a;  // only control has data, and one user
  a.variants.push_back({"control", 1, {{"conversion", Conversions(1, 1)}}, {}});
  a.variants.push_back({"not-a-variant", 50, {}, {}});
  ExperimentResults r = Analyze(e, defs, a);
  ASSERT_EQ(r.variants.size(), 3u);
  EXPECT_EQ(r.variants[1].exposures, 0);
  EXPECT_TRUE(r.metrics[0].variants[0].available);
  EXPECT_FALSE(r.metrics[0].variants[1].available);
  EXPECT_EQ(r.metrics[0].variants[1].reason, "no units yet");
  EXPECT_FALSE(r.metrics[0].comparisons[0].available);
  EXPECT_FALSE(r.metrics[1].defined);
  EXPECT_EQ(r.metrics[1].key, "ghost");
  EXPECT_EQ(r.verdict.decision, Decision::kKeepRunning);
}

TEST(ExperimentAnalysisTest, RefusesWhatCannotBeAnalysed) {
  Experiment e = MakeExperiment({"control"});
  Result<ExperimentResults> r = AnalyzeExperiment(e, {}, {}, kNowMs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "variants");
  e = MakeExperiment();
  e.analysis.alpha = 1.5;
  r = AnalyzeExperiment(e, {}, {}, kNowMs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "analysis.alpha");
  e = MakeExperiment();
  e.analysis.prior = stats::GaussianPrior{0, 0};
  r = AnalyzeExperiment(e, {}, {}, kNowMs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "analysis.prior");
}

TEST(ExperimentAnalysisTest, BayesianSignificanceIsTheCredibleIntervalWithoutCorrection) {
  Experiment e = MakeExperiment();
  e.analysis.method = stats::Method::kBayesian;
  e.analysis.correction = Correction::kHolm;
  auto defs = Defs({Metric("conversion", MetricKind::kConversion)});
  ExperimentResults r =
      Analyze(e, defs,
              Aggregate(e, {1000, 1000}, {{"conversion", {Conversions(100, 1000), Conversions(130, 1000)}}}));
  const VariantComparison& c = r.metrics[0].comparisons[0];
  EXPECT_FALSE(c.p_value.has_value());
  EXPECT_FALSE(c.adjusted_p_value.has_value());
  EXPECT_EQ(c.significant, c.ci.lower > 0);
  EXPECT_GT(c.chance_to_win, 0.95);
}

}  // namespace
}  // namespace switchyard::experiments
