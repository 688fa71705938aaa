#include "registry/retention.h"

#include <algorithm>

#include "registry/model_reference.h"

namespace switchyard::registry {

RetentionPlan PlanRetention(const std::vector<ModelVersion>& versions,
                            const std::set<std::string>& alias_targets, int keep) {
  std::vector<const ModelVersion*> live;
  for (const ModelVersion& version : versions)
    if (version.state != ModelState::kArchived) live.push_back(&version);
  std::sort(live.begin(), live.end(), [](const ModelVersion* a, const ModelVersion* b) {
    return VersionOrder(a->version) > VersionOrder(b->version);
  });
  RetentionPlan plan;
  for (std::size_t i = 0; i < live.size(); ++i) {
    const ModelVersion& version = *live[i];
    if (i < static_cast<std::size_t>(keep)) {
      plan.kept.push_back(version.version);
    } else if (alias_targets.contains(version.version)) {
      plan.kept.push_back(version.version);
      plan.spared.emplace_back(version.version, "an alias points at it");
    } else if (!TransitionAllowed(version.state, ModelState::kArchived)) {
      plan.kept.push_back(version.version);
      plan.spared.emplace_back(version.version, std::string(ModelStateName(version.state)) +
                                                    " cannot be archived directly; deprecate it first");
    } else {
      plan.archive.push_back(version.version);
    }
  }
  return plan;
}

Status ValidateRetentionKeep(std::int64_t keep) {
  if (keep >= 1 && keep <= kMaxRetentionKeep) return Status::Ok();
  return Status::InvalidArgument("keep must be between 1 and 1000", "keep");
}

}  // namespace switchyard::registry
