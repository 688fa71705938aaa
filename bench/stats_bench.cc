// One benchmark per statistic of the engine (src/stats): each must stay well under 10 µs, so
// results for an experiment cost O(variants × metrics) microseconds.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

#include "stats/quantile_sketch.h"
#include "switchyard/stats.h"

namespace switchyard::stats {
namespace {

const MeanSums kControlSums{1396.87, 52377.9767, 3407};
const MeanSums kTreatmentSums{2422.7, 134698.29, 3461};

Effect MeanEffect() {
  return *EstimateEffect(*MomentsOf(kControlSums), *MomentsOf(kTreatmentSums), Difference::kRelative);
}

void BM_MomentsOfMean(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(MomentsOf(kControlSums));
}
BENCHMARK(BM_MomentsOfMean);

void BM_MomentsOfRatio(benchmark::State& state) {
  const RatioSums sums{320, 200, 1200, 560, 790, 100};
  for (auto _ : state) benchmark::DoNotOptimize(MomentsOf(sums));
}
BENCHMARK(BM_MomentsOfRatio);

void BM_DeltaMethodRelative(benchmark::State& state) {
  const Moments c = *MomentsOf(kControlSums);
  const Moments t = *MomentsOf(kTreatmentSums);
  for (auto _ : state) benchmark::DoNotOptimize(EstimateEffect(c, t, Difference::kRelative));
}
BENCHMARK(BM_DeltaMethodRelative);

void BM_WelchTest(benchmark::State& state) {
  const Effect effect = MeanEffect();
  for (auto _ : state) benchmark::DoNotOptimize(FrequentistTest(effect, 0.05));
}
BENCHMARK(BM_WelchTest);

void BM_SequentialTestWithPValue(benchmark::State& state) {
  const Effect effect = MeanEffect();
  for (auto _ : state) benchmark::DoNotOptimize(SequentialTest(effect, 0.05, 5000));
}
BENCHMARK(BM_SequentialTestWithPValue);

void BM_BayesianWithPrior(benchmark::State& state) {
  const Effect effect = MeanEffect();
  const std::optional<GaussianPrior> prior = GaussianPrior{0, 0.09};
  for (auto _ : state) benchmark::DoNotOptimize(BayesianTest(effect, prior, 0.05));
}
BENCHMARK(BM_BayesianWithPrior);

void BM_Cuped(benchmark::State& state) {
  const CovariateSums c{10000, 100000, 101000, 1010000, 1030000, 1018000};
  const CovariateSums t{10000, 100200, 101500, 1012000, 1040000, 1022000};
  for (auto _ : state) benchmark::DoNotOptimize(CupedAdjust(c, t));
}
BENCHMARK(BM_Cuped);

std::vector<double> SortedExponential(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> exponential(1.0);
  std::vector<double> values(n);
  for (double& v : values) v = exponential(rng);
  std::sort(values.begin(), values.end());
  return values;
}

void BM_QuantileInterval(benchmark::State& state) {
  const std::vector<double> values = SortedExponential(100000, 1);
  const SortedSample sample(values);
  for (auto _ : state) benchmark::DoNotOptimize(EstimateQuantile(sample, 0.95, 0.05));
}
BENCHMARK(BM_QuantileInterval);

void BM_QuantileDifference(benchmark::State& state) {
  const std::vector<double> c = SortedExponential(100000, 1);
  const std::vector<double> t = SortedExponential(100000, 2);
  const SortedSample control(c);
  const SortedSample treatment(t);
  for (auto _ : state) {
    benchmark::DoNotOptimize(QuantileEffect(control, treatment, 0.99, Difference::kRelative, 0.05));
  }
}
BENCHMARK(BM_QuantileDifference);

void BM_Srm(benchmark::State& state) {
  std::vector<double> counts(static_cast<std::size_t>(state.range(0)), 1000);
  counts[0] = 1100;
  const std::vector<double> weights(counts.size(), 1);
  for (auto _ : state) benchmark::DoNotOptimize(SampleRatioMismatch(counts, weights));
}
BENCHMARK(BM_Srm)->Arg(2)->Arg(5);

std::vector<double> PValues(std::size_t n) {
  std::vector<double> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<double>((i * 37) % n + 1) / (2.0 * n);
  return p;
}

void BM_Holm(benchmark::State& state) {
  const std::vector<double> p = PValues(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(HolmAdjust(p));
}
BENCHMARK(BM_Holm)->Arg(20);

void BM_BenjaminiHochberg(benchmark::State& state) {
  const std::vector<double> p = PValues(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(BenjaminiHochbergAdjust(p));
}
BENCHMARK(BM_BenjaminiHochberg)->Arg(20);

void BM_SampleSize(benchmark::State& state) {
  PowerInputs in;
  in.baseline = 0.1;
  in.relative_mde = 0.1;
  for (auto _ : state) benchmark::DoNotOptimize(SampleSize(in));
}
BENCHMARK(BM_SampleSize);

// The calculator's whole computation for one request: sums -> moments -> effect -> test.
void BM_CompareFromSums(benchmark::State& state) {
  CompareOptions options;
  options.method = static_cast<Method>(state.range(0));
  for (auto _ : state) {
    const Moments c = *MomentsOf(kControlSums);
    const Moments t = *MomentsOf(kTreatmentSums);
    benchmark::DoNotOptimize(Compare(c, t, options));
  }
}
BENCHMARK(BM_CompareFromSums)
    ->Arg(static_cast<int>(Method::kFrequentist))
    ->Arg(static_cast<int>(Method::kSequential))
    ->Arg(static_cast<int>(Method::kBayesian));

// The per-event cost of a percentile metric at ingest: one value into a variant's sketch.
void BM_SketchAdd(benchmark::State& state) {
  QuantileSketch sketch;
  std::mt19937_64 random(5);
  std::lognormal_distribution<double> latency(5.3, 0.8);
  std::vector<double> values(4096);
  for (double& value : values) value = latency(random);
  std::size_t i = 0;
  for (auto _ : state) sketch.Add(values[i++ & 4095]);
  benchmark::DoNotOptimize(sketch.count());
}
BENCHMARK(BM_SketchAdd);

QuantileSketch FilledSketch(unsigned seed) {
  QuantileSketch sketch;
  std::mt19937_64 random(seed);
  std::lognormal_distribution<double> latency(5.3, 0.8);
  for (int i = 0; i < 100000; ++i) sketch.Add(latency(random));
  return sketch;
}

// Reading p99 off a variant's sketch, and merging two (hourly buckets into a total).
void BM_SketchQuantile(benchmark::State& state) {
  const QuantileSketch sketch = FilledSketch(1);
  for (auto _ : state) benchmark::DoNotOptimize(sketch.Quantile(0.99));
}
BENCHMARK(BM_SketchQuantile);

void BM_SketchMerge(benchmark::State& state) {
  const QuantileSketch a = FilledSketch(1);
  const QuantileSketch b = FilledSketch(2);
  for (auto _ : state) {
    QuantileSketch merged = a;
    benchmark::DoNotOptimize(merged.Merge(b));
  }
}
BENCHMARK(BM_SketchMerge);

}  // namespace
}  // namespace switchyard::stats

BENCHMARK_MAIN();
