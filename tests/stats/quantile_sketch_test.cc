#include "stats/quantile_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace switchyard::stats {
namespace {

// The exact order statistic at rank q·(n−1) (the rank the sketch answers).
double Exact(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
}

std::vector<double> Latencies(std::size_t n, unsigned seed) {
  std::mt19937_64 random(seed);
  std::lognormal_distribution<double> latency(std::log(200.0), 0.8);  // milliseconds, long tail
  std::vector<double> values(n);
  for (double& value : values) value = latency(random);
  return values;
}

TEST(QuantileSketchTest, AnswersQuantilesWithinTheRelativeAccuracy) {
  const std::vector<double> values = Latencies(100000, 7);
  QuantileSketch sketch(0.01);
  for (double value : values) sketch.Add(value);
  ASSERT_EQ(sketch.count(), values.size());
  for (double q : {0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    const double exact = Exact(values, q);
    EXPECT_NEAR(sketch.Quantile(q), exact, 0.01 * exact + 1e-12) << "q=" << q;
  }
  EXPECT_EQ(sketch.Quantile(0), *std::min_element(values.begin(), values.end()));
  EXPECT_EQ(sketch.Quantile(1), *std::max_element(values.begin(), values.end()));
  EXPECT_NEAR(sketch.RankOf(Exact(values, 0.95)), 0.95, 0.01);
}

TEST(QuantileSketchTest, MergingEqualsSketchingEverything) {
  const std::vector<double> a = Latencies(5000, 1);
  const std::vector<double> b = Latencies(7000, 2);
  QuantileSketch left, right, all;
  for (double value : a) left.Add(value), all.Add(value);
  for (double value : b) right.Add(value), all.Add(value);
  ASSERT_TRUE(left.Merge(right).ok());
  EXPECT_EQ(left.count(), all.count());
  EXPECT_NEAR(left.sum(), all.sum(), 1e-9 * all.sum());  // summed in another order
  for (double q : {0.1, 0.5, 0.95, 0.99}) EXPECT_EQ(left.Quantile(q), all.Quantile(q)) << q;
  EXPECT_FALSE(left.Merge(QuantileSketch(0.02)).ok());
}

TEST(QuantileSketchTest, HandlesNegativeZeroAndNonFiniteValues) {
  QuantileSketch sketch;
  EXPECT_TRUE(std::isnan(sketch.Quantile(0.5)));
  for (double value : {-10.0, -1.0, 0.0, 0.0, 1.0, 10.0, 100.0}) sketch.Add(value);
  sketch.Add(std::nan(""));
  sketch.Add(INFINITY);
  EXPECT_EQ(sketch.count(), 7u);
  EXPECT_EQ(sketch.Quantile(0), -10.0);
  EXPECT_NEAR(sketch.Quantile(1.0 / 6), -1.0, 0.01);
  EXPECT_EQ(sketch.Quantile(0.5), 0.0);
  EXPECT_NEAR(sketch.Quantile(5.0 / 6), 10.0, 0.1);
  EXPECT_TRUE(std::isnan(sketch.Quantile(1.5)));
  EXPECT_NEAR(sketch.RankOf(-1), 2.0 / 7, 1e-12);
  EXPECT_NEAR(sketch.RankOf(0), 4.0 / 7, 1e-12);
}

TEST(QuantileSketchTest, MemoryIsBoundedAndTheUpperTailKeepsItsAccuracy) {
  QuantileSketch sketch(0.01, 128);
  std::vector<double> values;
  for (int exponent = -300; exponent <= 300; ++exponent) values.push_back(std::pow(10.0, exponent / 10.0));
  for (double value : values) sketch.Add(value);
  EXPECT_LE(sketch.ToJson()["pos"].size(), 129u);
  const double exact = Exact(values, 0.99);
  EXPECT_NEAR(sketch.Quantile(0.99), exact, 0.01 * exact);
}

TEST(QuantileSketchTest, RoundTripsThroughJsonAndRefusesForgedBlobs) {
  QuantileSketch sketch;
  for (double value : Latencies(1000, 3)) sketch.Add(value);
  sketch.Add(-5);
  auto back = QuantileSketch::FromJson(sketch.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, sketch);
  auto empty = QuantileSketch::FromJson(QuantileSketch().ToJson());
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->empty());

  auto forged = [&](const char* field, nlohmann::json value) {
    nlohmann::json blob = sketch.ToJson();
    blob[field] = std::move(value);
    return QuantileSketch::FromJson(blob);
  };
  EXPECT_EQ(forged("n", 3).status().field(), "n");  // counts do not add up
  EXPECT_EQ(forged("alpha", 2).status().field(), "alpha");
  EXPECT_EQ(forged("pos", nlohmann::json::array({0, -1})).status().field(), "pos");
  EXPECT_EQ(forged("pos", nlohmann::json::array({1e12, 1})).status().field(), "pos");
  nlohmann::json huge = nlohmann::json::array({0});
  for (int i = 0; i < 5000; ++i) huge.push_back(0);
  EXPECT_EQ(forged("neg", huge).status().field(), "neg");
  EXPECT_EQ(forged("extra", 1).status().field(), "extra");
  EXPECT_EQ(forged("sum", "x").status().field(), "sum");
  EXPECT_FALSE(QuantileSketch::FromJson(nlohmann::json::array()).ok());
}

TEST(QuantileSketchTest, GivesTheSameQuantileIntervalAsTheSampleItSummarises) {
  std::vector<double> values = Latencies(20000, 11);
  QuantileSketch sketch;
  for (double value : values) sketch.Add(value);
  std::sort(values.begin(), values.end());
  auto exact = EstimateQuantile(SortedSample(values), 0.95, 0.05);
  auto sketched = EstimateQuantile(SketchQuantiles(sketch), 0.95, 0.05);
  ASSERT_TRUE(exact.ok() && sketched.ok());
  EXPECT_NEAR(sketched->estimate, exact->estimate, 0.01 * exact->estimate);
  EXPECT_NEAR(sketched->ci.lower, exact->ci.lower, 0.01 * exact->ci.lower);
  EXPECT_NEAR(sketched->ci.upper, exact->ci.upper, 0.01 * exact->ci.upper);
}

}  // namespace
}  // namespace switchyard::stats
