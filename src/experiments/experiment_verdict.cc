#include "experiments/experiment_verdict.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace switchyard::experiments {
namespace {

std::string Printf(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// A lift in words: a relative one in percent, an absolute one in percentage points for rates,
// and as a plain number otherwise.
std::string Amount(double value, const MetricResult& metric, stats::Difference difference) {
  if (difference == stats::Difference::kRelative) return Printf("%.1f %%", value * 100);
  if (metric.kind == MetricKind::kConversion) return Printf("%.2f percentage points", value * 100);
  return Printf("%.4g", value);
}

std::string Signed(double value, const MetricResult& metric, stats::Difference difference) {
  std::string text = Amount(value, metric, difference);
  return value > 0 ? "+" + text : text;
}

std::string MetricName(const MetricResult& metric) {
  return metric.name.empty() ? metric.key : metric.name;
}

// "treatment raises conversion by 4.1 % (95 % interval +1.2 % to +7.0 %)".
std::string Describe(const VariantComparison& c, const MetricResult& metric, const ExperimentResults& r) {
  const stats::Difference difference = r.analysis.difference;
  std::string text = c.variant + (c.expected >= 0 ? " raises " : " lowers ") + MetricName(metric) + " by " +
                     Amount(std::abs(c.expected), metric, difference);
  text += " (" + Printf("%g", (1 - r.analysis.alpha) * 100) + " % interval " +
          Signed(c.ci.lower, metric, difference) + " to " + Signed(c.ci.upper, metric, difference) + ")";
  return text;
}

const MetricResult* Primary(const ExperimentResults& r) {
  for (const MetricResult& m : r.metrics) {
    if (m.role == MetricRole::kPrimary) return &m;
  }
  return nullptr;
}

// Positive is better, whatever the direction.
double Gain(const VariantComparison& c, const MetricResult& metric) {
  return metric.direction == stats::Direction::kHigherIsBetter ? c.expected : -c.expected;
}

const VariantComparison* Best(const MetricResult& metric, bool significant_better_only) {
  const VariantComparison* best = nullptr;
  for (const VariantComparison& c : metric.comparisons) {
    if (!c.available) continue;
    if (significant_better_only && !(c.significant && c.outcome == Outcome::kBetter)) continue;
    if (best == nullptr || Gain(c, metric) > Gain(*best, metric)) best = &c;
  }
  return best;
}

void AddHealthReasons(const ExperimentResults& r, Verdict* v) {
  const HealthChecks& h = r.health;
  if (h.srm.mismatch) {
    std::string counts;
    std::string splits;
    for (const VariantSummary& s : r.variants) {
      counts += (counts.empty() ? "" : " / ") + std::to_string(s.exposures);
      splits += (splits.empty() ? "" : " / ") + Printf("%g", s.split);
    }
    v->reasons.push_back("sample-ratio mismatch: exposures " + counts + " against a " + splits +
                         " split (p = " + Printf("%.2g", h.srm.p_value) +
                         ", below 0.001): users are not being assigned as configured");
  }
  if (h.multiple_exposures_invalid) {
    v->reasons.push_back(Printf("%.1f %%", h.multiple_exposure_share * 100) +
                         " of exposed users saw more than one variant (the limit is " +
                         Printf("%g %%", kMultipleExposureThreshold * 100) +
                         "): excluding them biases the comparison");
  }
}

std::string SampleShortfall(const ExperimentResults& r) {
  std::string below;
  for (const VariantSummary& s : r.variants) {
    if (!s.minimum_sample_reached)
      below += (below.empty() ? "" : ", ") + s.key + " " + std::to_string(s.exposures);
  }
  return "the minimum sample of " + std::to_string(r.health.minimum_sample_per_variant) +
         " exposures per variant is not reached (" + below + ")";
}

std::string Progress(const ExperimentResults& r) {
  return "day " + Printf("%.1f", r.health.days_running) + " of " +
         std::to_string(r.health.planned_duration_days) + " planned";
}

void SetHeadline(const MetricResult& primary, const VariantComparison* c, Verdict* v) {
  v->primary_metric = primary.key;
  if (c == nullptr) return;
  v->primary_variant = c->variant;
  v->is_significant = c->significant;
  v->improvement = c->expected;
  v->improvement_ci = c->ci;
}

}  // namespace

const char* DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kKeepRunning: return "keep_running";
    case Decision::kShip: return "ship";
    case Decision::kStopNoEffect: return "stop_no_effect";
    case Decision::kStopGuardrail: return "stop_guardrail";
    case Decision::kInvalid: return "invalid";
  }
  return "keep_running";
}

Verdict DecideVerdict(const ExperimentResults& r) {
  Verdict v;
  const MetricResult* primary = Primary(r);
  if (primary != nullptr) SetHeadline(*primary, Best(*primary, false), &v);

  if (r.health.srm.mismatch || r.health.multiple_exposures_invalid) {
    v.decision = Decision::kInvalid;
    AddHealthReasons(r, &v);
    return v;
  }

  std::vector<std::string> breaches;
  bool has_guardrails = false;
  for (const MetricResult& m : r.metrics) {
    if (m.role != MetricRole::kGuardrail) continue;
    has_guardrails = true;
    for (const VariantComparison& c : m.comparisons) {
      if (c.available && c.significant && c.outcome == Outcome::kWorse) {
        breaches.push_back(Describe(c, m, r) + ": guardrail " + MetricName(m) + " is worse");
      }
    }
  }
  if (!breaches.empty()) {
    v.decision = Decision::kStopGuardrail;
    v.reasons = breaches;
    return v;
  }

  if (primary == nullptr || !primary->defined) {
    v.decision = Decision::kKeepRunning;
    v.reasons.push_back(primary == nullptr ? "the experiment has no primary metric: nothing decides it"
                                           : "the primary metric '" + primary->key + "' has no definition");
    return v;
  }

  std::vector<const VariantComparison*> better;
  std::vector<const VariantComparison*> worse;
  for (const VariantComparison& c : primary->comparisons) {
    if (!c.available || !c.significant) continue;
    (c.outcome == Outcome::kBetter ? better : worse).push_back(&c);
  }
  const bool sample = r.health.minimum_sample_reached;
  const std::string guardrails = has_guardrails ? "no guardrail is worse" : "no guardrail metric is set";

  if (sample && !better.empty()) {
    const VariantComparison* best = Best(*primary, true);
    v.decision = Decision::kShip;
    v.variant = best->variant;
    SetHeadline(*primary, best, &v);
    v.reasons.push_back(Describe(*best, *primary, r));
    for (const VariantComparison* c : better) {
      if (c != best) v.reasons.push_back(Describe(*c, *primary, r) + ", less than " + best->variant);
    }
    v.reasons.push_back(guardrails);
    return v;
  }
  if (sample && !primary->comparisons.empty() && worse.size() == primary->comparisons.size()) {
    v.decision = Decision::kShip;
    v.variant = r.variants.front().key;
    for (const VariantComparison* c : worse) v.reasons.push_back(Describe(*c, *primary, r));
    v.reasons.push_back("every treatment is worse on " + MetricName(*primary) + ": keep " + v.variant);
    return v;
  }
  if (r.health.planned_duration_reached) {
    v.decision = Decision::kStopNoEffect;
    v.reasons.push_back("no treatment is significantly better on " + MetricName(*primary) + " after " +
                        Printf("%.1f", r.health.days_running) + " days (" +
                        std::to_string(r.health.planned_duration_days) + " planned)");
    for (const VariantComparison* c : worse) v.reasons.push_back(Describe(*c, *primary, r));
    if (!sample) v.reasons.push_back(SampleShortfall(r));
    return v;
  }
  v.decision = Decision::kKeepRunning;
  if (!sample) v.reasons.push_back(SampleShortfall(r));
  for (const VariantComparison* c : better) v.reasons.push_back(Describe(*c, *primary, r) + " so far");
  for (const VariantComparison* c : worse) v.reasons.push_back(Describe(*c, *primary, r));
  if (better.empty() && worse.empty()) {
    v.reasons.push_back("no significant difference on " + MetricName(*primary) + " yet");
  }
  v.reasons.push_back(Progress(r));
  return v;
}

}  // namespace switchyard::experiments
