// The flag model: what a flag *is*, independent of storage and transport.
//
// Targeting follows PostHog's `filters` shape so that definitions move between PostHog and
// Switchyard unchanged (see flag_json.h for the wire form):
//   filters.groups[]              condition groups, OR'd in order; first match wins
//     .properties[]               property filters, AND'd
//     .rollout_percentage         0..100, fractional allowed; absent = 100 %
//     .variant                    optional override naming one of the variants
//   filters.multivariate.variants[]   {key, name, rollout_percentage} summing to 100
//   filters.payloads{"true"|variant}  JSON payload per outcome
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchyard {

// Where a filter's left-hand side comes from.
enum class FilterType {
  kPerson,  // a person property (request properties merged over stored ones)
  kFlag,    // another flag's value: a prerequisite (operator kFlagEvaluatesTo)
  kCohort,  // membership of a cohort (operators kIn / kNotIn)
};

enum class Operator {
  kExact,
  kIsNot,
  kIsSet,
  kIsNotSet,
  kIContains,
  kNotIContains,
  kStartsWith,
  kNotStartsWith,
  kEndsWith,
  kNotEndsWith,
  kRegex,
  kNotRegex,
  kGt,
  kGte,
  kLt,
  kLte,
  kIsDateBefore,
  kIsDateAfter,
  kSemverEq,
  kSemverNeq,
  kSemverGt,
  kSemverGte,
  kSemverLt,
  kSemverLte,
  kSemverTilde,
  kSemverCaret,
  kSemverWildcard,
  kIn,
  kNotIn,
  kFlagEvaluatesTo,
};

struct PropertyFilter {
  std::string key;  // property name, prerequisite flag key, or cohort id
  FilterType type = FilterType::kPerson;
  Operator op = Operator::kExact;
  nlohmann::json value;  // scalar, list (membership), or absent for is_set / is_not_set

  bool operator==(const PropertyFilter&) const = default;
};

struct ConditionGroup {
  std::vector<PropertyFilter> properties;
  std::optional<double> rollout_percentage;  // nullopt = everyone who matches
  std::optional<std::string> variant;        // override; ignored if it names no variant

  bool operator==(const ConditionGroup&) const = default;
};

struct Variant {
  std::string key;
  std::string name;
  double rollout_percentage = 0;

  bool operator==(const Variant&) const = default;
};

struct Flag {
  std::string key;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  bool active = true;
  std::int64_t version = 0;  // assigned by the store: 1 on create, +1 per change

  // Bucket on this person property instead of distinct_id (e.g. "session_id", "$device_id").
  // PostHog's `bucketing_identifier: "device_id"` is read as "$device_id".
  std::optional<std::string> bucketing_property;
  // A group flag (PostHog's filters.aggregation_group_type_index): it evaluates for the request's
  // group of this type index, bucketing on the group key, its filters reading group properties.
  std::optional<int> aggregation_group_type_index;

  std::vector<ConditionGroup> groups;
  std::vector<Variant> variants;                   // empty = boolean flag
  std::map<std::string, nlohmann::json> payloads;  // "true" or variant key -> payload

  bool is_multivariate() const { return !variants.empty(); }
  bool operator==(const Flag&) const = default;
};

// The part of a flag that each environment holds for itself: whether it is on, and whom it serves
// what (groups, the variant split, payloads). The rest of a Flag (key, name, description, tags,
// bucketing) is shared by every environment. An environment that holds no targeting for a flag
// serves it off, which is what the default FlagTargeting{} means.
struct FlagTargeting {
  bool active = false;
  std::vector<ConditionGroup> groups;
  std::vector<Variant> variants;
  std::map<std::string, nlohmann::json> payloads;

  bool operator==(const FlagTargeting&) const = default;
};

FlagTargeting TargetingOf(const Flag& flag);
// The part every environment shares: `flag` with its targeting fields at Flag's defaults.
Flag DefinitionOf(Flag flag);
// `flag` with its targeting replaced: the flag as one environment evaluates it.
Flag WithTargeting(Flag flag, const FlagTargeting& targeting);

inline constexpr std::size_t kMaxStaticCohortMembers = 10'000;

// A cohort: a named set of persons described by property filters, OR of AND groups (rollout and
// variant on its groups are ignored). Referenced by filters of type kCohort with key = cohort id.
struct Cohort {
  std::string id;
  std::string name;
  std::vector<ConditionGroup> groups;
  // A static cohort is a list of distinct ids (sorted, unique; at most kMaxStaticCohortMembers)
  // instead of conditions: a user is in it when their distinct_id is listed.
  bool is_static = false;
  std::vector<std::string> members;

  bool operator==(const Cohort&) const = default;
};

}  // namespace switchyard
