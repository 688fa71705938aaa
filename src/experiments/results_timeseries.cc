#include "experiments/results_timeseries.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>

#include "experiments/metric_analysis.h"

namespace switchyard::experiments {
namespace {

std::vector<std::int64_t> AllHours(const std::vector<const VariantAggregate*>& variants) {
  std::vector<std::int64_t> hours;
  for (const VariantAggregate* v : variants) {
    if (v == nullptr) continue;
    for (const HourlyPoint& p : v->hourly) hours.push_back(p.hour_start_ms);
  }
  std::sort(hours.begin(), hours.end());
  hours.erase(std::unique(hours.begin(), hours.end()), hours.end());
  return hours;
}

// Whether hour i of n is charted: every `stride`-th counted back from the last.
bool Charted(std::size_t i, std::size_t n, std::size_t stride) {
  return (n - 1 - i) % stride == 0;
}

SeriesPoint PointOf(const Result<SeriesPoint>& r) {
  return r.ok() ? *r : SeriesPoint{};
}

}  // namespace

TimeSeries BuildTimeSeries(const Experiment& experiment, const std::vector<const MetricDefinition*>& metrics,
                           const std::vector<const VariantAggregate*>& variants) {
  TimeSeries series;
  const std::vector<std::int64_t> hours = AllHours(variants);
  if (hours.empty()) return series;
  const std::size_t stride = (hours.size() + kMaxSeriesPoints - 1) / kMaxSeriesPoints;
  const std::size_t k = variants.size();

  series.exposures.resize(k);
  for (const MetricDefinition* m : metrics) {
    MetricSeries ms;
    ms.key = m->key;
    for (std::size_t v = 0; v < k; ++v) {
      ms.values.push_back({experiment.variants[v].key, {}});
      if (v > 0) ms.lifts.push_back({experiment.variants[v].key, {}});
    }
    series.metrics.push_back(std::move(ms));
  }

  // Running totals per variant, advanced one hour at a time through each variant's points.
  std::vector<std::int64_t> exposures(k, 0);
  std::vector<std::map<std::string, MetricSums>> totals(k);
  std::vector<std::size_t> next(k, 0);
  for (std::size_t i = 0; i < hours.size(); ++i) {
    for (std::size_t v = 0; v < k; ++v) {
      if (variants[v] == nullptr) continue;
      const std::vector<HourlyPoint>& hourly = variants[v]->hourly;
      while (next[v] < hourly.size() && hourly[next[v]].hour_start_ms <= hours[i]) {
        const HourlyPoint& point = hourly[next[v]++];
        exposures[v] += point.exposures;
        for (const auto& [key, sums] : point.metrics) totals[v][key].Merge(sums);
      }
    }
    if (!Charted(i, hours.size(), stride)) continue;
    series.hour_start_ms.push_back(hours[i]);
    for (std::size_t v = 0; v < k; ++v) series.exposures[v].push_back(exposures[v]);
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const MetricDefinition& def = *metrics[m];
      MetricSeries& ms = series.metrics[m];
      const MetricSums& control = totals[0][def.key];
      for (std::size_t v = 0; v < k; ++v) {
        const MetricSums& sums = totals[v][def.key];
        ms.values[v].points.push_back(PointOf(EstimateVariantValue(def, sums, experiment.analysis)));
        if (v == 0) continue;
        Result<VariantComparison> c = CompareVariant(def, control, sums, experiment.analysis);
        SeriesPoint lift;
        if (c.ok()) lift = {true, c->expected, c->ci};
        ms.lifts[v - 1].points.push_back(lift);
      }
    }
  }
  return series;
}

}  // namespace switchyard::experiments
