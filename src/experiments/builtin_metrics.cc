#include "experiments/builtin_metrics.h"

#include <string>

namespace switchyard::experiments {
namespace {

EventValue Generations(std::string property = {}) {
  return EventValue{kAiGenerationEvent, std::move(property), {}};
}

MetricDefinition Builtin(std::string key, std::string name, std::string description, MetricKind kind,
                         stats::Direction direction) {
  MetricDefinition metric;
  metric.key = std::move(key);
  metric.name = std::move(name);
  metric.description = std::move(description);
  metric.kind = kind;
  metric.direction = direction;
  metric.builtin = true;
  return metric;
}

MetricDefinition Percentile(std::string key, std::string name, std::string property, double percentile) {
  MetricDefinition metric = Builtin(std::move(key), std::move(name),
                                    "The " + std::to_string(static_cast<int>(percentile * 100)) +
                                        "th percentile of " + property + " over $ai_generation events",
                                    MetricKind::kPercentile, stats::Direction::kLowerIsBetter);
  metric.value = Generations(std::move(property));
  metric.percentile = percentile;
  return metric;
}

MetricDefinition PerRequest(std::string key, std::string name, std::string property) {
  MetricDefinition metric =
      Builtin(std::move(key), std::move(name), "Σ " + property + " / Σ $ai_generation events, over users",
              MetricKind::kRatio, stats::Direction::kLowerIsBetter);
  metric.value = Generations(std::move(property));
  metric.denominator = Generations();
  return metric;
}

std::vector<MetricDefinition> MakeBuiltins() {
  std::vector<MetricDefinition> out;
  MetricDefinition success =
      Builtin("ai_success_rate", "Model success rate",
              "Generations without $ai_is_error = true / generations (a missing $ai_is_error is a success)",
              MetricKind::kRatio, stats::Direction::kHigherIsBetter);
  PropertyFilter not_error;
  not_error.key = "$ai_is_error";
  not_error.op = Operator::kIsNot;
  not_error.value = true;
  success.value = EventValue{kAiGenerationEvent, "", {not_error}};
  success.denominator = Generations();
  out.push_back(std::move(success));
  out.push_back(Percentile("ai_latency_p50", "Model latency p50 (s)", "$ai_latency", 0.5));
  out.push_back(Percentile("ai_latency_p95", "Model latency p95 (s)", "$ai_latency", 0.95));
  out.push_back(Percentile("ai_latency_p99", "Model latency p99 (s)", "$ai_latency", 0.99));
  out.push_back(Percentile("ai_time_to_first_token_p50", "Time to first token p50 (s)",
                           "$ai_time_to_first_token", 0.5));
  out.push_back(Percentile("ai_time_to_first_token_p95", "Time to first token p95 (s)",
                           "$ai_time_to_first_token", 0.95));
  out.push_back(PerRequest("ai_input_tokens_per_request", "Input tokens per request", "$ai_input_tokens"));
  out.push_back(PerRequest("ai_output_tokens_per_request", "Output tokens per request", "$ai_output_tokens"));
  out.push_back(PerRequest("ai_cost_per_request", "Cost per request (USD)", "$ai_total_cost_usd"));
  return out;
}

}  // namespace

const std::vector<MetricDefinition>& BuiltinMetrics() {
  static const std::vector<MetricDefinition> metrics = MakeBuiltins();  // immutable after first use
  return metrics;
}

const MetricDefinition* FindBuiltinMetric(std::string_view key) {
  for (const MetricDefinition& metric : BuiltinMetrics())
    if (metric.key == key) return &metric;
  return nullptr;
}

}  // namespace switchyard::experiments
