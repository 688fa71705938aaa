#include "experiments/results_json.h"

#include <cmath>
#include <optional>

#include "experiments/experiment_json.h"
#include "experiments/experiment_verdict.h"
#include "experiments/metric_json.h"

namespace switchyard::experiments {
namespace {

using nlohmann::json;

json Number(double value) {
  return std::isfinite(value) ? json(value) : json(nullptr);
}
json Number(const std::optional<double>& value) {
  return value ? Number(*value) : json(nullptr);
}
json Range(const stats::Interval& ci) {
  return json::array({Number(ci.lower), Number(ci.upper)});
}
json Count(double n) {
  return static_cast<std::int64_t>(n);
}

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kBetter: return "better";
    case Outcome::kWorse: return "worse";
    case Outcome::kNone: return "none";
  }
  return "none";
}

json AnalysisJson(const AnalysisSettings& a) {
  json out{{"method", MethodName(a.method)},
           {"difference", a.difference == stats::Difference::kRelative ? "relative" : "absolute"},
           {"alpha", a.alpha},
           {"correction", CorrectionName(a.correction)},
           {"cuped", a.cuped},
           {"sequential_tuning", nullptr},
           {"prior", nullptr}};
  if (a.method == stats::Method::kSequential) out["sequential_tuning"] = a.sequential_tuning;
  if (a.prior) out["prior"] = {{"mean", a.prior->mean}, {"variance", a.prior->variance}};
  return out;
}

json EstimateJson(const VariantEstimate& e) {
  json out{
      {"variant", e.variant}, {"n", Count(e.n)}, {"value", nullptr}, {"ci", nullptr}, {"reason", nullptr}};
  if (e.available) {
    out["value"] = Number(e.value);
    out["ci"] = Range(e.ci);
  } else {
    out["reason"] = e.reason;
  }
  return out;
}

json ComparisonJson(const VariantComparison& c) {
  json out{{"variant", c.variant},
           {"lift", nullptr},
           {"ci", nullptr},
           {"p_value", nullptr},
           {"adjusted_p_value", nullptr},
           {"chance_to_win", nullptr},
           {"expected_loss", nullptr},
           {"cuped_applied", c.cuped_applied},
           {"is_significant", c.significant},
           {"outcome", OutcomeName(c.outcome)},
           {"reason", nullptr}};
  if (!c.available) {
    out["reason"] = c.reason;
    return out;
  }
  out["lift"] = Number(c.expected);
  out["ci"] = Range(c.ci);
  out["p_value"] = Number(c.p_value);
  out["adjusted_p_value"] = Number(c.adjusted_p_value);
  out["chance_to_win"] = Number(c.chance_to_win);
  out["expected_loss"] = {{"treatment", Number(c.expected_loss_treatment)},
                          {"control", Number(c.expected_loss_control)}};
  if (c.cuped_applied) out["cuped_theta"] = Number(c.cuped_theta);
  return out;
}

json MetricJson(const MetricResult& m) {
  json out{{"key", m.key},
           {"name", m.name},
           {"role", MetricRoleName(m.role)},
           {"defined", m.defined},
           {"kind", nullptr},
           {"direction", nullptr},
           {"percentile", nullptr},
           {"cuped_applied", m.cuped_applied},
           {"variants", json::array()},
           {"comparisons", json::array()}};
  if (!m.defined) return out;
  out["kind"] = MetricKindName(m.kind);
  out["direction"] =
      m.direction == stats::Direction::kHigherIsBetter ? "higher_is_better" : "lower_is_better";
  if (m.kind == MetricKind::kPercentile) out["percentile"] = m.percentile;
  for (const VariantEstimate& e : m.variants) out["variants"].push_back(EstimateJson(e));
  for (const VariantComparison& c : m.comparisons) out["comparisons"].push_back(ComparisonJson(c));
  return out;
}

json HealthJson(const HealthChecks& h, const std::vector<VariantSummary>& variants) {
  json below = json::array();
  for (const VariantSummary& v : variants) {
    if (!v.minimum_sample_reached) below.push_back(v.key);
  }
  return {{"srm",
           {{"p_value", Number(h.srm.p_value)},
            {"chi_square", Number(h.srm.chi_square)},
            {"mismatch", h.srm.mismatch},
            {"threshold", stats::kSrmThreshold}}},
          {"multiple_exposures",
           {{"users", h.multiple_exposure_users},
            {"share", Number(h.multiple_exposure_share)},
            {"threshold", kMultipleExposureThreshold},
            {"invalid", h.multiple_exposures_invalid}}},
          {"minimum_sample",
           {{"per_variant", h.minimum_sample_per_variant},
            {"reached", h.minimum_sample_reached},
            {"below", below}}},
          {"duration",
           {{"days_running", Number(h.days_running)},
            {"planned_days", h.planned_duration_days},
            {"reached", h.planned_duration_reached}}}};
}

json VerdictJson(const Verdict& v) {
  json primary{{"metric", v.primary_metric.empty() ? json(nullptr) : json(v.primary_metric)},
               {"variant", v.primary_variant.empty() ? json(nullptr) : json(v.primary_variant)},
               {"is_significant", v.is_significant},
               {"improvement", Number(v.improvement)},
               {"ci", v.improvement_ci ? Range(*v.improvement_ci) : json(nullptr)}};
  return {{"decision", DecisionName(v.decision)},
          {"variant", v.variant.empty() ? json(nullptr) : json(v.variant)},
          {"reasons", v.reasons},
          {"primary", primary}};
}

json PointsJson(const std::vector<SeriesPoint>& points) {
  json value = json::array();
  json lower = json::array();
  json upper = json::array();
  for (const SeriesPoint& p : points) {
    value.push_back(p.available ? Number(p.value) : json(nullptr));
    lower.push_back(p.available ? Number(p.ci.lower) : json(nullptr));
    upper.push_back(p.available ? Number(p.ci.upper) : json(nullptr));
  }
  return {{"value", value}, {"lower", lower}, {"upper", upper}};
}

json SeriesJson(const std::vector<VariantSeries>& series) {
  json out = json::array();
  for (const VariantSeries& s : series) {
    json entry = PointsJson(s.points);
    entry["variant"] = s.variant;
    out.push_back(std::move(entry));
  }
  return out;
}

json TimeSeriesJson(const TimeSeries& t, const std::vector<VariantSummary>& variants) {
  json exposures = json::array();
  for (std::size_t v = 0; v < t.exposures.size() && v < variants.size(); ++v) {
    exposures.push_back({{"variant", variants[v].key}, {"value", t.exposures[v]}});
  }
  json metrics = json::array();
  for (const MetricSeries& m : t.metrics) {
    metrics.push_back({{"key", m.key}, {"values", SeriesJson(m.values)}, {"lifts", SeriesJson(m.lifts)}});
  }
  return {{"hour_start_ms", t.hour_start_ms}, {"exposures", exposures}, {"metrics", metrics}};
}

}  // namespace

const char* MetricRoleName(MetricRole role) {
  switch (role) {
    case MetricRole::kPrimary: return "primary";
    case MetricRole::kSecondary: return "secondary";
    case MetricRole::kGuardrail: return "guardrail";
  }
  return "primary";
}

json ResultsToJson(const ExperimentResults& r) {
  json variants = json::array();
  for (std::size_t i = 0; i < r.variants.size(); ++i) {
    const VariantSummary& v = r.variants[i];
    variants.push_back({{"key", v.key},
                        {"is_control", i == 0},
                        {"split", v.split},
                        {"exposures", v.exposures},
                        {"minimum_sample_reached", v.minimum_sample_reached}});
  }
  json metrics = json::array();
  for (const MetricResult& m : r.metrics) metrics.push_back(MetricJson(m));
  return {{"experiment", r.experiment_key},
          {"status", r.status},
          {"computed_at_ms", r.computed_at_ms},
          {"analysis", AnalysisJson(r.analysis)},
          {"variants", variants},
          {"metrics", metrics},
          {"health", HealthJson(r.health, r.variants)},
          {"verdict", VerdictJson(r.verdict)},
          {"timeseries", TimeSeriesJson(r.timeseries, r.variants)}};
}

}  // namespace switchyard::experiments
