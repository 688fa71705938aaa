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
  return UsageFromCounts([&](const char* key, bool* found) { return Count(usage, key, found); },
                         [&](const char* parent, const char* key) { return Nested(usage, parent, key); });
}

double CostOf(const TokenUsage& usage, const Prices& prices) {
  const double uncached = static_cast<double>(usage.input - usage.cached_input);
  return (uncached * prices.input + static_cast<double>(usage.cached_input) * prices.cached_input +
          static_cast<double>(usage.output) * prices.output) /
         1e6;
}

}  // namespace switchyard::gateway
