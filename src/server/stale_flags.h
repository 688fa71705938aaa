// The stale report: flags in one environment whose decision has not changed for N days (fully
// rolled out, or fully off) or that nothing has evaluated for N days (or ever).
//
// "Fully rolled out": active, with at least one condition group, every group at 100 % (an absent
// rollout is 100 %), and either no variants or one variant at 100 %. Property filters are not
// looked at: whoever a group targets, its answer no longer varies by bucket. "Fully off":
// inactive, or active with every group at 0 % (or no groups at all, which serves no one). Either
// counts only when the flag is unchanged for N days: its updated_at, which any change to the
// record moves (in any environment). Archived flags are not reported: they are retired already.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace switchyard::server {

struct StaleReason {
  std::string reason;  // fully_rolled_out | fully_off | not_evaluated | never_evaluated
  std::string since;   // RFC 3339: unchanged since / last evaluated / created
};

struct StaleFlag {
  std::string key;
  std::vector<StaleReason> reasons;
};

// `cutoff` is now minus N days, in the store's timestamp form (which sorts in time order).
// `evaluations` are the environment's stats by flag key. Flags come out in the order given.
std::vector<StaleFlag> FindStaleFlags(const std::vector<store::FlagRecord>& flags,
                                      const std::string& environment,
                                      const std::map<std::string, store::FlagEvaluationStats>& evaluations,
                                      const std::string& cutoff);

nlohmann::json StaleFlagJson(const StaleFlag& flag);

}  // namespace switchyard::server
