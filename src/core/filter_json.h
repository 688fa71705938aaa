// JSON <-> property filters and condition groups, shared by flags and cohorts. Only shapes and
// types are checked here; what a filter may contain is flag_validation.h's job.
#pragma once

#include <string>
#include <vector>

#include "core/json_fields.h"
#include "switchyard/flag.h"

namespace switchyard::core {

Result<PropertyFilter> FilterFromJson(const Json& json, const std::string& path);
Json FilterToJson(const PropertyFilter& filter);

// A filter list (`properties` of a group, `values` of a PostHog AND group).
Status FiltersListFromJson(const Json& json, const std::string& path, std::vector<PropertyFilter>* out);

// `groups`: [{"properties":[...],"rollout_percentage":n|null,"variant":s|null}, ...]
Status GroupsFromJson(const Json& json, const std::string& path, std::vector<ConditionGroup>* out);
Json GroupsToJson(const std::vector<ConditionGroup>& groups);

}  // namespace switchyard::core
