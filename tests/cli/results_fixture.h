// Results JSON for the CLI's renderers, made by the real analysis (so the renderers are tested
// against the shape the server answers): a running experiment with a winning treatment, a
// secondary metric named with markup, a guardrail, a percentile metric and hourly points.
#pragma once

#include <nlohmann/json.hpp>

#include "experiments/aggregate_builder.h"
#include "experiments/experiment_analysis.h"
#include "experiments/results_json.h"

namespace switchyard::cli::testing {

inline nlohmann::json SampleResults() {
  using namespace experiments;
  using experiments::testing::Conversions;
  using experiments::testing::Sketched;
  Experiment e = experiments::testing::MakeExperiment({"control", "treatment", "b"});
  e.secondary_metrics = {"evil", "latency"};
  e.guardrail_metrics = {"errors"};
  e.analysis.correction = Correction::kHolm;
  std::map<std::string, MetricDefinition> defs;
  defs["conversion"] = experiments::testing::Metric("conversion", MetricKind::kConversion);
  defs["evil"] = experiments::testing::Metric("evil", MetricKind::kMean);
  defs["evil"].name = "<script>alert('x')</script> & \"co\"";
  defs["latency"] =
      experiments::testing::Metric("latency", MetricKind::kPercentile, stats::Direction::kLowerIsBetter);
  defs["latency"].percentile = 0.95;
  defs["errors"] =
      experiments::testing::Metric("errors", MetricKind::kConversion, stats::Direction::kLowerIsBetter);
  ExperimentAggregate a;
  const double rates[] = {0.10, 0.14, 0.12};
  for (int v = 0; v < 3; ++v) {
    VariantAggregate va;
    va.variant = e.variants[static_cast<std::size_t>(v)].key;
    for (int h = 0; h < 48; ++h) {
      HourlyPoint p;
      p.hour_start_ms = experiments::testing::kNowMs - (48 - h) * 3600 * 1000LL;
      p.exposures = 50;
      p.metrics["conversion"] = Conversions(std::round(50 * rates[v] + (h % 3) - 1), 50);
      p.metrics["errors"] = Conversions(2, 50);
      MetricSums evil;
      for (int i = 0; i < 50; ++i) {
        const double x = 10 + (i % 5) + v * 0.1;
        evil.n += 1;
        evil.sum += x;
        evil.sum_squares += x * x;
      }
      p.metrics["evil"] = evil;
      std::vector<double> latencies;
      for (int i = 1; i <= 50; ++i) latencies.push_back(100 + i * (v == 1 ? 1.5 : 2.0) + h * 0.37);
      p.metrics["latency"] = Sketched(latencies);
      va.exposures += p.exposures;
      for (const auto& [key, sums] : p.metrics) va.metrics[key].Merge(sums);
      va.hourly.push_back(std::move(p));
    }
    a.variants.push_back(std::move(va));
  }
  Result<ExperimentResults> r = AnalyzeExperiment(e, defs, a, experiments::testing::kNowMs);
  return r.ok() ? ResultsToJson(*r) : nlohmann::json::object();
}

}  // namespace switchyard::cli::testing
