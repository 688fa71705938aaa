// The ready-made model-traffic metrics every project lists (builtin: true, read-only). They read
// the `$ai_generation` event that PostHog's AI SDKs send (and Switchyard's gateway emits the
// same), with PostHog's property names, so an app instrumented for PostHog works unchanged:
//   $ai_latency (seconds), $ai_time_to_first_token (seconds, streaming only), $ai_is_error,
//   $ai_input_tokens, $ai_output_tokens, $ai_total_cost_usd.
// "Per request" metrics are ratios over users (Σ value / Σ generations, delta method), not means
// over events, because one user's generations are not independent of each other.
#pragma once

#include <string_view>
#include <vector>

#include "experiments/metric_definition.h"

namespace switchyard::experiments {

inline constexpr char kAiGenerationEvent[] = "$ai_generation";

const std::vector<MetricDefinition>& BuiltinMetrics();
// The built-in metric with this key, or nullptr.
const MetricDefinition* FindBuiltinMetric(std::string_view key);

}  // namespace switchyard::experiments
