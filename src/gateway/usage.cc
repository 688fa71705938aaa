#include "gateway/usage.h"

#include <algorithm>

namespace switchyard::gateway {
namespace {

std::int64_t Count(const nlohmann::json& object, const char* key, bool* found) {
  auto it = object.find(key);
  if (it == object.end()) return 0;
  if (!it->is_number_integer() && !it->is_number_unsigned()) return 0;
  *found = true;
  return std::max<std::int64_t>(0, it->get<std::int64_t>());
}

std::int64_t Nested(const nlohmann::json& object, const char* parent, const char* key) {
  auto it = object.find(parent);
  if (it == object.end() || !it->is_object()) return 0;
  bool ignored = false;
  return Count(*it, key, &ignored);
}

}  // namespace

std::optional<TokenUsage> ReadUsage(const nlohmann::json& usage) {
  if (!usage.is_object()) return std::nullopt;
  bool found = false;
  TokenUsage out;
  // Chat / completions, then the Responses API's names.
  out.input = Count(usage, "prompt_tokens", &found) + Count(usage, "input_tokens", &found);
  out.output = Count(usage, "completion_tokens", &found) + Count(usage, "output_tokens", &found);
  if (!found) return std::nullopt;
  out.cached_input = Nested(usage, "prompt_tokens_details", "cached_tokens") +
                     Nested(usage, "input_tokens_details", "cached_tokens");
  out.reasoning = Nested(usage, "completion_tokens_details", "reasoning_tokens") +
                  Nested(usage, "output_tokens_details", "reasoning_tokens");
  out.cached_input = std::min(out.cached_input, out.input);
  out.reasoning = std::min(out.reasoning, out.output);
  return out;
}

double CostOf(const TokenUsage& usage, const Prices& prices) {
  const double uncached = static_cast<double>(usage.input - usage.cached_input);
  return (uncached * prices.input + static_cast<double>(usage.cached_input) * prices.cached_input +
          static_cast<double>(usage.output) * prices.output) /
         1e6;
}

}  // namespace switchyard::gateway
