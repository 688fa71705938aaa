#include "gateway/call_event.h"

#include <algorithm>
#include <array>

#include "core/json_object_writer.h"

namespace switchyard::gateway {
namespace {

// Every name CallEventProperties writes itself; an `extra` member with one of them is dropped.
constexpr std::array<std::string_view, 31> kOwnNames = {"$ai_model",
                                                        "$ai_provider",
                                                        "$ai_latency",
                                                        "$ai_input_tokens",
                                                        "$ai_output_tokens",
                                                        "$ai_cache_read_input_tokens",
                                                        "$ai_reasoning_tokens",
                                                        "$ai_total_cost_usd",
                                                        "$ai_is_error",
                                                        "$ai_http_status",
                                                        "$ai_trace_id",
                                                        "route",
                                                        "experiment",
                                                        "variant",
                                                        "model",
                                                        "status",
                                                        "success",
                                                        "latency_ms",
                                                        "input_tokens",
                                                        "cached_input_tokens",
                                                        "output_tokens",
                                                        "reasoning_tokens",
                                                        "cost",
                                                        "error_type",
                                                        "request_id",
                                                        "fallback",
                                                        "attempts",
                                                        "shadow",
                                                        "user_source",
                                                        "$ai_time_to_first_token",
                                                        "ttft_ms"};

bool OwnName(std::string_view name) {
  return std::find(kOwnNames.begin(), kOwnNames.end(), name) != kOwnNames.end();
}

}  // namespace

std::string CallEventProperties(const CallRecord& call, const CallEventContext& context,
                                const nlohmann::json* extra) {
  core::JsonObjectWriter out(1024);
  // PostHog's LLM-analytics names: what the built-in experiment metrics read.
  out.String("$ai_model", call.model);
  out.String("$ai_provider", "switchyard");
  out.Number("$ai_latency", call.latency_ms / 1000.0);
  out.Int("$ai_input_tokens", call.input_tokens);
  out.Int("$ai_output_tokens", call.output_tokens);
  out.Int("$ai_cache_read_input_tokens", call.cached_input_tokens);
  out.Int("$ai_reasoning_tokens", call.reasoning_tokens);
  out.Number("$ai_total_cost_usd", call.cost);
  out.Bool("$ai_is_error", !call.success);
  out.Int("$ai_http_status", call.status);
  out.String("$ai_trace_id", context.request_id);
  // And plain names, for people reading the events.
  out.String("route", call.route);
  out.String("experiment", call.experiment);
  out.String("variant", call.variant);
  out.String("model", call.model);
  out.Int("status", call.status);
  out.Bool("success", call.success);
  out.Number("latency_ms", call.latency_ms);
  out.Int("input_tokens", call.input_tokens);
  out.Int("cached_input_tokens", call.cached_input_tokens);
  out.Int("output_tokens", call.output_tokens);
  out.Int("reasoning_tokens", call.reasoning_tokens);
  out.Number("cost", call.cost);
  out.String("error_type", call.error_type);
  out.String("request_id", context.request_id);
  out.Bool("fallback", call.fallback);
  out.Int("attempts", call.attempts);
  out.Bool("shadow", call.shadow);
  out.String("user_source", context.user_is_request_id ? "request_id" : "user");
  if (call.ttft_ms >= 0) {
    out.Number("$ai_time_to_first_token", call.ttft_ms / 1000.0);
    out.Number("ttft_ms", call.ttft_ms);
  }
  if (extra != nullptr && extra->is_object()) {
    for (auto it = extra->begin(); it != extra->end(); ++it) {
      if (!OwnName(it.key())) out.Value(it.key(), it.value());
    }
  }
  return out.Finish();
}

}  // namespace switchyard::gateway
