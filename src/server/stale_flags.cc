#include "server/stale_flags.h"

#include <algorithm>

namespace switchyard::server {
namespace {

double RolloutOf(const ConditionGroup& group) {
  return group.rollout_percentage.value_or(100.0);
}

bool FullyRolledOut(const Flag& flag) {
  if (!flag.active || flag.groups.empty()) return false;
  const bool all_in = std::all_of(flag.groups.begin(), flag.groups.end(),
                                  [](const ConditionGroup& group) { return RolloutOf(group) >= 100.0; });
  if (!all_in) return false;
  if (flag.variants.empty()) return true;
  return std::count_if(flag.variants.begin(), flag.variants.end(),
                       [](const Variant& variant) { return variant.rollout_percentage >= 100.0; }) == 1;
}

bool FullyOff(const Flag& flag) {
  if (!flag.active) return true;
  return std::all_of(flag.groups.begin(), flag.groups.end(),
                     [](const ConditionGroup& group) { return RolloutOf(group) <= 0.0; });
}

}  // namespace

std::vector<StaleFlag> FindStaleFlags(const std::vector<store::FlagRecord>& flags,
                                      const std::string& environment,
                                      const std::map<std::string, store::FlagEvaluationStats>& evaluations,
                                      const std::string& cutoff) {
  std::vector<StaleFlag> out;
  for (const store::FlagRecord& record : flags) {
    if (record.archived) continue;
    StaleFlag stale{record.flag.key, {}};
    const Flag view = record.In(environment);
    if (record.updated_at <= cutoff) {
      if (FullyRolledOut(view)) stale.reasons.push_back({"fully_rolled_out", record.updated_at});
      if (FullyOff(view)) stale.reasons.push_back({"fully_off", record.updated_at});
    }
    auto evaluated = evaluations.find(record.flag.key);
    if (evaluated == evaluations.end() || evaluated->second.last_evaluated_at.empty()) {
      if (record.created_at <= cutoff) stale.reasons.push_back({"never_evaluated", record.created_at});
    } else if (evaluated->second.last_evaluated_at <= cutoff) {
      stale.reasons.push_back({"not_evaluated", evaluated->second.last_evaluated_at});
    }
    if (!stale.reasons.empty()) out.push_back(std::move(stale));
  }
  return out;
}

nlohmann::json StaleFlagJson(const StaleFlag& flag) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const StaleReason& reason : flag.reasons)
    reasons.push_back({{"reason", reason.reason}, {"since", reason.since}});
  return {{"key", flag.key}, {"reasons", std::move(reasons)}};
}

}  // namespace switchyard::server
