// The member names every JSON object the API accepts may hold, and the check that refuses any
// other (a typo such as "rolout_percentage" would otherwise be ignored and change what a flag
// does). To accept a new field, add it to its object's list here; the parser reads its value.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/json_fields.h"
#include "switchyard/status.h"

namespace switchyard::core {

enum class FieldRole {
  kInput,        // read by the server
  kIgnored,      // what the server returns (timestamps, author, warnings) or another system's
                 // bookkeeping: accepted so that GET -> edit -> PUT and PostHog exports go through
  kUnsupported,  // a PostHog feature Switchyard lacks: accepted only when it asks for nothing
                 // (absent, null, false, 0 or empty), refused otherwise rather than ignored
};

struct KnownField {
  std::string_view name;
  FieldRole role = FieldRole::kInput;
};

using FieldList = std::span<const KnownField>;

inline constexpr KnownField kFlagFields[] = {
    {"key"},
    {"name"},
    {"description"},
    {"tags"},
    {"active"},
    {"filters"},
    {"bucketing_property"},
    {"bucketing_identifier"},          // PostHog's form of bucketing_property
    {"version"},                       // the version a change is based on
    {"environments"},                  // per-environment configuration
    {"environment"},                   // the environment a change is for
    {"aggregation_group_type_index"},  // group flags (PostHog writes it in filters)
    {"created_at", FieldRole::kIgnored},
    {"updated_at", FieldRole::kIgnored},
    {"updated_by", FieldRole::kIgnored},
    {"warnings", FieldRole::kIgnored},  // in a write's answer
    {"changed", FieldRole::kIgnored},   // in a write's answer
    {"id", FieldRole::kIgnored},        // PostHog's database id
    // Set by archive / unarchive, never by a body.
    {"archived", FieldRole::kIgnored},
    {"archived_at", FieldRole::kIgnored},
    {"ensure_experience_continuity", FieldRole::kUnsupported},
    {"deleted", FieldRole::kUnsupported},
};

// A flag's `filters`.
inline constexpr KnownField kFlagFiltersFields[] = {
    {"groups"},
    {"multivariate"},
    {"payloads"},  // keys are variant keys (or "true"), checked against the flag's variants
    {"aggregation_group_type_index"},
    {"super_groups", FieldRole::kUnsupported},
    {"holdout_groups", FieldRole::kUnsupported},
};

// One condition group, in a flag's or a cohort's `groups`.
inline constexpr KnownField kConditionGroupFields[] = {{"properties"}, {"rollout_percentage"}, {"variant"}};

// One property filter, in a group's `properties` (or a PostHog cohort's `values`).
inline constexpr KnownField kPropertyFilterFields[] = {
    {"key"},
    {"type"},
    {"operator"},
    {"value"},
    {"negation", FieldRole::kUnsupported},
    {"group_type_index", FieldRole::kIgnored},  // PostHog's, on "group" filters: the flag's own type
};

inline constexpr KnownField kMultivariateFields[] = {{"variants"}};

inline constexpr KnownField kVariantFields[] = {{"key"}, {"name"}, {"rollout_percentage"}};

inline constexpr KnownField kCohortFields[] = {
    {"id"},
    {"name"},
    {"filters"},
    {"properties"},  // PostHog's nested AND/OR form, instead of filters
    {"version"},
    {"is_static"},  // a static cohort: `members` instead of conditions
    {"members"},
    {"created_at", FieldRole::kIgnored},
    {"updated_at", FieldRole::kIgnored},
};

inline constexpr KnownField kCohortFiltersFields[] = {{"groups"}};

// A PostHog cohort's AND/OR node: {"type":"AND"|"OR","values":[...]}.
inline constexpr KnownField kCohortBranchFields[] = {{"type"}, {"values"}};

// Request bodies that are not a stored object.
inline constexpr KnownField kEvaluateRequestFields[] = {{"distinct_id"},     {"properties"},  {"flags"},
                                                        {"project"},         {"environment"}, {"groups"},
                                                        {"group_properties"}};
inline constexpr KnownField kFlagSwitchFields[] = {{"version"}};  // enable, disable
inline constexpr KnownField kFlagRolloutFields[] = {{"percentage"}, {"group"}, {"version"}};
inline constexpr KnownField kProjectCreateFields[] = {{"slug"}, {"name"}};
inline constexpr KnownField kKeyCreateFields[] = {{"label"}, {"environment"}, {"scope"}};
inline constexpr KnownField kPersonReplaceFields[] = {
    {"properties"},
    {"distinct_id"},                        // must match the URL's
    {"distinct_ids", FieldRole::kIgnored},  // the person's ids: changed by $identify / $create_alias only
    {"created_at", FieldRole::kIgnored},
    {"updated_at", FieldRole::kIgnored},
};
inline constexpr KnownField kPersonPatchFields[] = {{"$set"}, {"$set_once"}, {"$unset"}};
// POST /api/v1/events: one event, or {"batch": [event, ...]}; POST /api/v1/identify.
inline constexpr KnownField kEventFields[] = {
    {"event"}, {"distinct_id"}, {"properties"}, {"timestamp"}, {"uuid"}};
inline constexpr KnownField kEventBatchFields[] = {{"batch"}};
inline constexpr KnownField kIdentifyFields[] = {{"distinct_id"}, {"$set"}, {"$set_once"}};
// The statistics calculator (POST /api/v1/stats/compare, /api/v1/stats/srm).
inline constexpr KnownField kStatsCompareFields[] = {{"control"}, {"treatment"}, {"method"}, {"difference"},
                                                     {"alpha"},   {"tuning"},    {"prior"}};
// One variant of a comparison: a mean metric {sum, sum_squares, n} or a proportion {successes, n}.
inline constexpr KnownField kStatsVariantFields[] = {{"sum"}, {"sum_squares"}, {"successes"}, {"n"}};
inline constexpr KnownField kStatsPriorFields[] = {{"mean"}, {"variance"}};
inline constexpr KnownField kStatsSrmFields[] = {{"counts"}, {"weights"}};
// POST /api/v1/stats/sample-size.
inline constexpr KnownField kStatsSampleSizeFields[] = {
    {"metric"}, {"baseline"}, {"standard_deviation"}, {"relative_mde"},
    {"alpha"},  {"power"},    {"variants"},           {"daily_traffic"}};

// POST /api/v1/routes/{route}/invoke (the gateway's generic JSON invoke).
inline constexpr KnownField kInvokeFields[] = {{"user_id"}, {"params"}};

// The role of `name` in `fields`; nullopt when it is not one of them.
std::optional<FieldRole> RoleOf(FieldList fields, std::string_view name);

// Ok when every member of `object` (a JSON object at `path`, "" for the body) is in `fields` and
// every kUnsupported one asks for nothing. Otherwise InvalidArgument for the first offending
// member (in name order) with its path as the field, e.g.
//   "unknown field 'rolout_percentage' in filters.groups[0]; did you mean 'rollout_percentage'?"
// (field "filters.groups[0].rolout_percentage"), or "...; expected a, b or c" when no known
// name is close. A quoted name is cut to 64 bytes: it is client input.
Status CheckFields(const Json& object, const std::string& path, FieldList fields);

// The error CheckFields reports for `name`, for callers that find unknown names themselves.
Status UnknownField(std::string_view name, const std::string& path, FieldList fields);

}  // namespace switchyard::core
