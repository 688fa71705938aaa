#include "server/flag_schedule_change.h"

#include "core/abbreviate.h"

namespace switchyard::server {

Status ValidateScheduleChange(const nlohmann::json& change) {
  if (!change.is_object() || change.size() != 1) {
    return Status::InvalidArgument(
        "change must be an object with exactly one of active (a boolean) or rollout_percentage (0 to 100)",
        "change");
  }
  if (auto active = change.find("active"); active != change.end()) {
    if (!active->is_boolean()) return Status::InvalidArgument("active must be a boolean", "change.active");
    return Status::Ok();
  }
  if (auto rollout = change.find("rollout_percentage"); rollout != change.end()) {
    if (!rollout->is_number() || !(rollout->get<double>() >= 0 && rollout->get<double>() <= 100)) {
      return Status::InvalidArgument("rollout_percentage must be a number from 0 to 100",
                                     "change.rollout_percentage");
    }
    return Status::Ok();
  }
  const std::string field = core::Abbreviate(change.begin().key(), 64);
  return Status::InvalidArgument(
      "unknown field '" + field + "' in change; expected active or rollout_percentage", "change." + field);
}

void ApplyScheduleChange(const nlohmann::json& change, const std::vector<std::string>& targets,
                         store::FlagRecord& record) {
  for (const std::string& key : targets) {
    FlagTargeting& targeting = record.environments[key];
    if (auto active = change.find("active"); active != change.end()) {
      targeting.active = active->get<bool>();
      continue;
    }
    const double percentage = change.at("rollout_percentage").get<double>();
    if (targeting.groups.empty()) targeting.groups.emplace_back();
    for (ConditionGroup& group : targeting.groups) group.rollout_percentage = percentage;
  }
}

std::string DescribeScheduleChange(const nlohmann::json& change) {
  if (auto active = change.find("active"); active != change.end() && active->is_boolean())
    return active->get<bool>() ? "enable" : "disable";
  if (auto rollout = change.find("rollout_percentage"); rollout != change.end())
    return "rollout " + rollout->dump() + " %";
  return change.dump();
}

}  // namespace switchyard::server
