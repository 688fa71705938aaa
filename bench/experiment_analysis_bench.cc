// AnalyzeExperiment for 3 variants × 5 metrics (conversion, a per-user mean with a CUPED
// covariate, a sum, a ratio, p95 from sketches), with the default settings (sequential, relative,
// Holm, CUPED): the whole of GET .../results but the store read. The budget is 50 ms for an
// experiment of 10 million events; the work here does not grow with events, only with hours of
// history (charts), so 14 and 30 days of hourly points are measured, and none.
#include <benchmark/benchmark.h>

#include <random>

#include "experiments/experiment_analysis.h"

namespace switchyard::experiments {
namespace {

constexpr std::int64_t kHourMs = 3600 * 1000;
constexpr std::int64_t kNowMs = 1795910400000;

struct Fixture {
  Experiment experiment;
  std::map<std::string, MetricDefinition> metrics;
  ExperimentAggregate aggregate;
};

MetricDefinition Def(const std::string& key, MetricKind kind) {
  MetricDefinition m;
  m.key = key;
  m.kind = kind;
  if (kind == MetricKind::kPercentile) m.percentile = 0.95;
  return m;
}

Fixture Make(int hours) {
  Fixture f;
  Experiment& e = f.experiment;
  e.key = "bench";
  e.variants = {{"control", 34}, {"a", 33}, {"b", 33}};
  e.primary_metric = "conversion";
  e.secondary_metrics = {"revenue", "tokens", "cost_per_success"};
  e.guardrail_metrics = {"latency_p95"};
  e.status = ExperimentStatus::kRunning;
  e.started_at = "2026-11-15T00:00:00Z";
  for (auto [key, kind] : {std::pair{"conversion", MetricKind::kConversion},
                           {"revenue", MetricKind::kMean},
                           {"tokens", MetricKind::kSum},
                           {"cost_per_success", MetricKind::kRatio},
                           {"latency_p95", MetricKind::kPercentile}}) {
    f.metrics[key] = Def(key, kind);
  }
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal;
  std::exponential_distribution<double> latency(1.0 / 200);
  for (std::size_t v = 0; v < e.variants.size(); ++v) {
    VariantAggregate va;
    va.variant = e.variants[v].key;
    const int h_count = std::max(hours, 1);
    for (int h = 0; h < h_count; ++h) {
      HourlyPoint p;
      p.hour_start_ms = kNowMs - (h_count - h) * kHourMs;
      p.exposures = 300;
      MetricSums conversion;
      MetricSums revenue;
      MetricSums tokens;
      MetricSums ratio;
      MetricSums p95;
      p95.sketch.emplace();
      for (int u = 0; u < 300; ++u) {
        const double converted = normal(rng) > 1.2 ? 1 : 0;
        conversion.n += 1;
        conversion.sum += converted;
        conversion.sum_squares += converted;
        const double x = 10 + normal(rng);
        const double y = 10 + 0.7 * (x - 10) + normal(rng);
        revenue.n += 1;
        revenue.sum += y;
        revenue.sum_squares += y * y;
        revenue.covariate_sum += x;
        revenue.covariate_sum_squares += x * x;
        revenue.covariate_cross_sum += x * y;
        const double t = 500 + 50 * normal(rng);
        tokens.n += 1;
        tokens.sum += t;
        tokens.sum_squares += t * t;
        const double cost = 0.01 * t;
        const double successes = 1 + (u % 3);
        ratio.n += 1;
        ratio.sum += cost;
        ratio.sum_squares += cost * cost;
        ratio.denominator_sum += successes;
        ratio.denominator_sum_squares += successes * successes;
        ratio.cross_sum += cost * successes;
        const double ms = latency(rng);
        p95.n += 1;
        p95.sketch->Add(ms);
      }
      p.metrics = {{"conversion", conversion},
                   {"revenue", revenue},
                   {"tokens", tokens},
                   {"cost_per_success", ratio},
                   {"latency_p95", p95}};
      va.exposures += p.exposures;
      for (const auto& [key, sums] : p.metrics) va.metrics[key].Merge(sums);
      if (hours > 0) va.hourly.push_back(std::move(p));
    }
    f.aggregate.variants.push_back(std::move(va));
  }
  return f;
}

void BM_AnalyzeExperiment(benchmark::State& state) {
  const Fixture f = Make(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Result<ExperimentResults> r = AnalyzeExperiment(f.experiment, f.metrics, f.aggregate, kNowMs);
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
}
// Hours of history: 0 (totals only), 14 days, 30 days (thinned to 180 chart points).
BENCHMARK(BM_AnalyzeExperiment)->Arg(0)->Arg(14 * 24)->Arg(30 * 24)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace switchyard::experiments

BENCHMARK_MAIN();
