// What a scheduled change may do to a flag, shared by the route that accepts one and the
// scheduler that applies it: {"active": bool} (enable / disable) or {"rollout_percentage": 0..100}
// (every group's rollout, as `POST .../rollout` with a percentage and the CLI's `flags rollout`
// set it; a flag without groups gets one matching everyone).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"
#include "switchyard/status.h"

namespace switchyard::server {

// Checks a change as a request sent it; InvalidArgument naming "change.<field>".
Status ValidateScheduleChange(const nlohmann::json& change);

// Applies a valid change to `targets` (environment keys) of the record.
void ApplyScheduleChange(const nlohmann::json& change, const std::vector<std::string>& targets,
                         store::FlagRecord& record);

// "enable", "disable" or "rollout 25 %", for tables and result messages.
std::string DescribeScheduleChange(const nlohmann::json& change);

}  // namespace switchyard::server
