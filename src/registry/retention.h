// The retention policy: keep the newest `keep` versions of a model that are not archived;
// archive the older ones, except versions an alias points at (never archived) and versions the
// lifecycle cannot archive directly (deployed: deprecate it first).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "registry/model_version.h"

namespace switchyard::registry {

inline constexpr int kMaxRetentionKeep = 1000;

struct RetentionPlan {
  std::vector<std::string> archive;  // versions, newest first
  std::vector<std::string> kept;     // the newest `keep` plus those spared, newest first
  std::vector<std::pair<std::string, std::string>> spared;  // version -> why it is kept anyway
};

// `versions` are one model's (any order, any state); `alias_targets` the versions its aliases
// point at. `keep` must be 1..kMaxRetentionKeep (the caller checks: InvalidArgument on "keep").
RetentionPlan PlanRetention(const std::vector<ModelVersion>& versions,
                            const std::set<std::string>& alias_targets, int keep);
Status ValidateRetentionKeep(std::int64_t keep);

}  // namespace switchyard::registry
