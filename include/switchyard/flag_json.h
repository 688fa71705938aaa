// The JSON wire form of flags and cohorts (PostHog's `filters` shape), with validation.
//
// Parsing validates everything that can be checked on one flag alone (field names, operators,
// value types, percentages, variant sums, regex syntax, dates, semver) and reports the first
// problem with the JSON path of the offending field, e.g. "filters.groups[1].properties[0].operator".
// An unknown field is refused with the closest known name (src/core/known_fields.h).
// Cross-flag checks (prerequisites that exist, no cycles) live in flag_set.h.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "switchyard/flag.h"
#include "switchyard/status.h"

namespace switchyard {

// {"key","name","description","tags","active","version"?,"bucketing_property"?,"filters":{...}}
Result<Flag> FlagFromJson(const nlohmann::json& json);
nlohmann::json FlagToJson(const Flag& flag);

// Only the `filters` object (groups, multivariate, payloads).
Status FiltersFromJson(const nlohmann::json& filters, Flag* flag);
nlohmann::json FiltersToJson(const Flag& flag);

// One environment's targeting: {"active": bool, "filters": {...}}; both optional on input (absent:
// off, no filters). Errors name paths under `path` (e.g. "environments.staging.filters.groups[0]").
Result<FlagTargeting> TargetingFromJson(const nlohmann::json& json, const std::string& path);
nlohmann::json TargetingToJson(const FlagTargeting& targeting);

// {"id","name","filters":{"groups":[...]}} -- also accepts PostHog's
// {"properties":{"type":"OR","values":[{"type":"AND","values":[...]}]}}.
Result<Cohort> CohortFromJson(const nlohmann::json& json);
nlohmann::json CohortToJson(const Cohort& cohort);

std::string_view OperatorName(Operator op);
Result<Operator> OperatorFromName(std::string_view name);
std::string_view FilterTypeName(FilterType type);

}  // namespace switchyard
