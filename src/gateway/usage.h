// Token usage as upstreams report it, and what it cost. Chat and completions report
// prompt/completion tokens, the Responses API input/output tokens; both nest cached input and
// reasoning tokens in *_details. Counting cached tokens at the cached price is what keeps cost
// right: gateways that dropped them inflated cost several-fold.
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

namespace switchyard::gateway {

struct TokenUsage {
  std::int64_t input = 0;  // including the cached ones
  std::int64_t cached_input = 0;
  std::int64_t output = 0;  // including the reasoning ones
  std::int64_t reasoning = 0;
};

// Prices per million tokens.
struct Prices {
  double input = 0;
  double cached_input = 0;
  double output = 0;
};

// The rules every reader of usage shares, over any JSON representation: `count(name, &found)`
// gives a top-level count (0 when absent or not an integer; sets found when present),
// `nested(parent, name)` a count inside a *_details object. Chat / completions names, then the
// Responses API's; cached and reasoning tokens never exceed their totals.
template <typename Count, typename Nested>
std::optional<TokenUsage> UsageFromCounts(Count count, Nested nested) {
  bool found = false;
  TokenUsage out;
  out.input = count("prompt_tokens", &found) + count("input_tokens", &found);
  out.output = count("completion_tokens", &found) + count("output_tokens", &found);
  if (!found) return std::nullopt;
  out.cached_input =
      nested("prompt_tokens_details", "cached_tokens") + nested("input_tokens_details", "cached_tokens");
  out.reasoning = nested("completion_tokens_details", "reasoning_tokens") +
                  nested("output_tokens_details", "reasoning_tokens");
  out.cached_input = out.cached_input < out.input ? out.cached_input : out.input;
  out.reasoning = out.reasoning < out.output ? out.reasoning : out.output;
  return out;
}

// The `usage` object of a response or a stream's usage chunk (the object itself, not its
// parent); nullopt when it is not an object or names no tokens. Negative or non-integer counts
// are read as 0: an upstream's garbage must not make cost negative.
std::optional<TokenUsage> ReadUsage(const nlohmann::json& usage);

// Uncached input at the input price, cached input at the cached price, output at the output price.
double CostOf(const TokenUsage& usage, const Prices& prices);

}  // namespace switchyard::gateway
