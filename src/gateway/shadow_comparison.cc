#include "gateway/shadow_comparison.h"

#include <utility>

namespace switchyard::gateway {
namespace {

nlohmann::json MeasureJson(const stats::MeanSums& baseline, const stats::MeanSums& shadow,
                           const stats::MeanSums& difference, double alpha) {
  nlohmann::json out = {{"baseline_mean", nullptr}, {"shadow_mean", nullptr}, {"difference", nullptr}};
  if (baseline.n > 0) {
    out["baseline_mean"] = baseline.sum / baseline.n;
    out["shadow_mean"] = shadow.sum / shadow.n;
  }
  Result<stats::Effect> effect = stats::PairedEffect(difference);
  if (!effect.ok()) return out;
  Result<stats::FrequentistResult> test = stats::FrequentistTest(effect.value(), alpha);
  if (!test.ok()) {
    // Every difference the same (variance 0): the mean difference is exact, no interval to give.
    out["difference"] = {{"mean", effect.value().estimate}};
    return out;
  }
  out["difference"] = {{"mean", effect.value().estimate},
                       {"ci", {test.value().ci.lower, test.value().ci.upper}},
                       {"p_value", test.value().p_value},
                       {"significant", test.value().ci.Excludes(0)}};
  return out;
}

}  // namespace

void ShadowComparisons::Add(std::int64_t project_id, const std::string& route, const CallOutcome& baseline,
                            const CallOutcome& shadow) {
  MutexLock lock(mu_);
  Pairs& pairs = routes_[{project_id, route}];
  pairs.n += 1;
  pairs.baseline_successes += baseline.success ? 1 : 0;
  pairs.shadow_successes += shadow.success ? 1 : 0;
  pairs.baseline_model = baseline.model;
  pairs.shadow_model = shadow.model;
  // Latency and cost compare whatever both sides did; what they produced only when both produced.
  pairs.latency_ms.Add(baseline.latency_ms, shadow.latency_ms);
  pairs.cost.Add(baseline.cost, shadow.cost);
  if (baseline.success && shadow.success) {
    pairs.both_succeeded += 1;
    pairs.identical += baseline.text == shadow.text ? 1 : 0;
    pairs.output_tokens.Add(static_cast<double>(baseline.output_tokens),
                            static_cast<double>(shadow.output_tokens));
    pairs.response_bytes.Add(static_cast<double>(baseline.response_bytes),
                             static_cast<double>(shadow.response_bytes));
  }
}

nlohmann::json ShadowComparisons::Report(std::int64_t project_id, const std::string& route,
                                         double alpha) const {
  MutexLock lock(mu_);
  auto it = routes_.find({project_id, route});
  if (it == routes_.end()) return {{"pairs", 0}};
  const Pairs& p = it->second;
  auto measure = [alpha](const Measure& m) { return MeasureJson(m.baseline, m.shadow, m.difference, alpha); };
  return {{"pairs", p.n},
          {"baseline_model", p.baseline_model},
          {"shadow_model", p.shadow_model},
          {"baseline_success_rate", static_cast<double>(p.baseline_successes) / static_cast<double>(p.n)},
          {"shadow_success_rate", static_cast<double>(p.shadow_successes) / static_cast<double>(p.n)},
          {"both_succeeded", p.both_succeeded},
          {"identical", p.identical},
          {"identical_rate", p.both_succeeded > 0 ? nlohmann::json(static_cast<double>(p.identical) /
                                                                   static_cast<double>(p.both_succeeded))
                                                  : nlohmann::json(nullptr)},
          {"latency_ms", measure(p.latency_ms)},
          {"output_tokens", measure(p.output_tokens)},
          {"cost", measure(p.cost)},
          {"response_bytes", measure(p.response_bytes)},
          {"alpha", alpha}};
}

}  // namespace switchyard::gateway
