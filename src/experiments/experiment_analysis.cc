#include "experiments/experiment_analysis.h"

#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "experiments/experiment_verdict.h"
#include "experiments/health_checks.h"
#include "experiments/metric_analysis.h"
#include "experiments/results_timeseries.h"

namespace switchyard::experiments {
namespace {

Status CheckSettings(const Experiment& experiment) {
  if (experiment.variants.size() < 2) {
    return Status::InvalidArgument("an experiment needs a control and at least one treatment", "variants");
  }
  const AnalysisSettings& a = experiment.analysis;
  if (!(a.alpha > 0 && a.alpha < 1)) {
    return Status::InvalidArgument("alpha must be between 0 and 1 (exclusive)", "analysis.alpha");
  }
  if (!(a.sequential_tuning > 0) || !std::isfinite(a.sequential_tuning)) {
    return Status::InvalidArgument("sequential_tuning must be a positive number of units",
                                   "analysis.sequential_tuning");
  }
  if (a.prior &&
      (!(a.prior->variance > 0) || !std::isfinite(a.prior->variance) || !std::isfinite(a.prior->mean))) {
    return Status::InvalidArgument("the prior needs a finite mean and a positive variance", "analysis.prior");
  }
  return Status::Ok();
}

// The aggregate's variants in the experiment's order (nullptr where it has none).
std::vector<const VariantAggregate*> Align(const Experiment& experiment,
                                           const ExperimentAggregate& aggregate) {
  std::vector<const VariantAggregate*> aligned;
  for (const ExperimentVariant& v : experiment.variants) {
    const VariantAggregate* found = nullptr;
    for (const VariantAggregate& a : aggregate.variants) {
      if (a.variant == v.key) found = &a;
    }
    aligned.push_back(found);
  }
  return aligned;
}

const MetricSums& SumsOf(const VariantAggregate* variant, const std::string& metric) {
  static const MetricSums kEmpty;  // immutable: "no data yet"
  if (variant == nullptr) return kEmpty;
  auto it = variant->metrics.find(metric);
  return it == variant->metrics.end() ? kEmpty : it->second;
}

MetricResult AnalyzeMetric(const Experiment& experiment, const std::string& key, MetricRole role,
                           const MetricDefinition* def,
                           const std::vector<const VariantAggregate*>& variants) {
  MetricResult m;
  m.key = key;
  m.role = role;
  if (def == nullptr) return m;
  m.defined = true;
  m.name = def->name;
  m.kind = def->kind;
  m.direction = def->direction;
  if (def->kind == MetricKind::kPercentile) m.percentile = def->percentile;
  const MetricSums& control = SumsOf(variants[0], key);
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const std::string& variant = experiment.variants[i].key;
    const MetricSums& sums = SumsOf(variants[i], key);
    VariantEstimate estimate;
    estimate.variant = variant;
    estimate.n = sums.n;
    Result<SeriesPoint> value = EstimateVariantValue(*def, sums, experiment.analysis);
    if (value.ok()) {
      estimate.available = true;
      estimate.value = value->value;
      estimate.ci = value->ci;
    } else {
      estimate.reason = value.status().message();
    }
    m.variants.push_back(std::move(estimate));
    if (i == 0) continue;
    Result<VariantComparison> comparison = CompareVariant(*def, control, sums, experiment.analysis);
    VariantComparison c;
    if (comparison.ok()) {
      c = *comparison;
    } else {
      c.reason = comparison.status().message();
    }
    c.variant = variant;
    m.cuped_applied = m.cuped_applied || c.cuped_applied;
    m.comparisons.push_back(std::move(c));
  }
  return m;
}

// Sets adjusted p-values and significance (see experiment_analysis.h), then the outcomes.
void JudgeSignificance(const AnalysisSettings& settings, std::vector<MetricResult>& metrics) {
  std::vector<VariantComparison*> family;
  std::vector<double> p_values;
  for (MetricResult& m : metrics) {
    for (VariantComparison& c : m.comparisons) {
      if (!c.available) continue;
      if (!c.p_value) {
        c.significant = c.ci.Excludes(0);  // Bayesian: the credible interval
      } else if (m.role == MetricRole::kGuardrail) {
        c.significant = *c.p_value < settings.alpha;
      } else {
        family.push_back(&c);
        p_values.push_back(*c.p_value);
      }
    }
  }
  Result<std::vector<double>> adjusted = p_values;
  if (settings.correction == Correction::kHolm) adjusted = stats::HolmAdjust(p_values);
  if (settings.correction == Correction::kBenjaminiHochberg)
    adjusted = stats::BenjaminiHochbergAdjust(p_values);
  for (std::size_t i = 0; i < family.size(); ++i) {
    // The engine's p-values are in [0, 1], so the adjustment cannot refuse them.
    family[i]->adjusted_p_value = adjusted.ok() ? (*adjusted)[i] : p_values[i];
    family[i]->significant = *family[i]->adjusted_p_value < settings.alpha;
  }
  for (MetricResult& m : metrics) {
    for (VariantComparison& c : m.comparisons) {
      if (c.available && c.significant) {
        c.outcome = IsImprovement(c.expected, m.direction) ? Outcome::kBetter : Outcome::kWorse;
      }
    }
  }
}

}  // namespace

Result<ExperimentResults> AnalyzeExperiment(const Experiment& experiment,
                                            const std::map<std::string, MetricDefinition>& metrics_by_key,
                                            const ExperimentAggregate& aggregate, std::int64_t now_ms) {
  if (Status s = CheckSettings(experiment); !s.ok()) return s;
  ExperimentResults results;
  results.experiment_key = experiment.key;
  results.status = StatusName(experiment.status);
  results.computed_at_ms = now_ms;
  results.analysis = experiment.analysis;
  const std::vector<const VariantAggregate*> variants = Align(experiment, aggregate);
  for (std::size_t i = 0; i < variants.size(); ++i) {
    VariantSummary summary;
    summary.key = experiment.variants[i].key;
    summary.split = experiment.variants[i].split;
    summary.exposures = variants[i] == nullptr ? 0 : variants[i]->exposures;
    summary.minimum_sample_reached = summary.exposures >= experiment.minimum_sample_per_variant;
    results.variants.push_back(std::move(summary));
  }

  std::vector<std::pair<std::string, MetricRole>> wanted;
  if (!experiment.primary_metric.empty())
    wanted.emplace_back(experiment.primary_metric, MetricRole::kPrimary);
  for (const std::string& key : experiment.secondary_metrics)
    wanted.emplace_back(key, MetricRole::kSecondary);
  for (const std::string& key : experiment.guardrail_metrics)
    wanted.emplace_back(key, MetricRole::kGuardrail);
  std::vector<const MetricDefinition*> charted;
  std::set<std::string> seen;
  for (const auto& [key, role] : wanted) {
    auto it = metrics_by_key.find(key);
    const MetricDefinition* def = it == metrics_by_key.end() ? nullptr : &it->second;
    results.metrics.push_back(AnalyzeMetric(experiment, key, role, def, variants));
    if (def != nullptr && seen.insert(key).second) charted.push_back(def);
  }
  JudgeSignificance(experiment.analysis, results.metrics);

  results.health = CheckHealth(experiment, results.variants, aggregate.multiple_exposure_users,
                               aggregate.first_exposure_ms, now_ms);
  results.verdict = DecideVerdict(results);
  results.timeseries = BuildTimeSeries(experiment, charted, variants);
  return results;
}

}  // namespace switchyard::experiments
