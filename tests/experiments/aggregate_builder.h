// Builders for the analysis tests: sufficient statistics from plain values, and a two- or
// three-variant experiment with its metric definitions.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "experiments/experiment.h"
#include "experiments/experiment_aggregate.h"
#include "experiments/metric_definition.h"

namespace switchyard::experiments::testing {

// 2026-11-29T00:00:00Z, the tests' "now" unless they say otherwise.
inline constexpr std::int64_t kNowMs = 1795910400000;
inline constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// "2026-11-26T00:00:00Z" (whole seconds: what the experiment service stores).
inline std::string IsoFromMs(std::int64_t ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(ms)};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return text;
}

// `successes` of `n` users converted.
inline MetricSums Conversions(double successes, double n) {
  MetricSums s;
  s.n = n;
  s.sum = successes;
  s.sum_squares = successes;
  return s;
}

// One value per unit.
inline MetricSums Values(const std::vector<double>& values) {
  MetricSums s;
  for (double v : values) {
    s.n += 1;
    s.sum += v;
    s.sum_squares += v * v;
  }
  return s;
}

// Per-event values into a sketch (percentile metrics).
inline MetricSums Sketched(const std::vector<double>& values) {
  MetricSums s;
  s.sketch.emplace();
  for (double v : values) {
    s.n += 1;
    s.sum += v;
    s.sum_squares += v * v;
    s.sketch->Add(v);
  }
  return s;
}

inline MetricDefinition Metric(const std::string& key, MetricKind kind,
                               stats::Direction direction = stats::Direction::kHigherIsBetter) {
  MetricDefinition m;
  m.key = key;
  m.name = key;
  m.kind = kind;
  m.direction = direction;
  return m;
}

// A running experiment started `days` days before kNowMs, with `variants` split evenly, the
// frequentist method (so p-values are the textbook ones) and no correction unless changed.
inline Experiment MakeExperiment(std::vector<std::string> variants = {"control", "treatment"},
                                 double days = 3) {
  Experiment e;
  e.key = "checkout";
  e.name = "Checkout button";
  e.flag_key = "checkout-button";
  for (const std::string& v : variants)
    e.variants.push_back({v, 100.0 / static_cast<double>(variants.size())});
  e.primary_metric = "conversion";
  e.minimum_sample_per_variant = 100;
  e.planned_duration_days = 14;
  e.analysis.method = stats::Method::kFrequentist;
  e.analysis.correction = Correction::kNone;
  e.analysis.cuped = false;
  e.status = ExperimentStatus::kRunning;
  e.started_at = IsoFromMs(kNowMs - static_cast<std::int64_t>(days * static_cast<double>(kDayMs)));
  return e;
}

}  // namespace switchyard::experiments::testing
