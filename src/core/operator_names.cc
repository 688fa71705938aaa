// Wire names of operators, filter types and reasons. One table per enum so that a new enumerator
// needs exactly one new line, and name -> enum and enum -> name can never disagree.
#include <array>
#include <utility>

#include "switchyard/evaluation.h"
#include "switchyard/flag_json.h"

namespace switchyard {
namespace {

constexpr std::array<std::pair<Operator, std::string_view>, 30> kOperatorNames = {{
    {Operator::kExact, "exact"},
    {Operator::kIsNot, "is_not"},
    {Operator::kIsSet, "is_set"},
    {Operator::kIsNotSet, "is_not_set"},
    {Operator::kIContains, "icontains"},
    {Operator::kNotIContains, "not_icontains"},
    {Operator::kStartsWith, "starts_with"},
    {Operator::kNotStartsWith, "not_starts_with"},
    {Operator::kEndsWith, "ends_with"},
    {Operator::kNotEndsWith, "not_ends_with"},
    {Operator::kRegex, "regex"},
    {Operator::kNotRegex, "not_regex"},
    {Operator::kGt, "gt"},
    {Operator::kGte, "gte"},
    {Operator::kLt, "lt"},
    {Operator::kLte, "lte"},
    {Operator::kIsDateBefore, "is_date_before"},
    {Operator::kIsDateAfter, "is_date_after"},
    {Operator::kSemverEq, "semver_eq"},
    {Operator::kSemverNeq, "semver_neq"},
    {Operator::kSemverGt, "semver_gt"},
    {Operator::kSemverGte, "semver_gte"},
    {Operator::kSemverLt, "semver_lt"},
    {Operator::kSemverLte, "semver_lte"},
    {Operator::kSemverTilde, "semver_tilde"},
    {Operator::kSemverCaret, "semver_caret"},
    {Operator::kSemverWildcard, "semver_wildcard"},
    {Operator::kIn, "in"},
    {Operator::kNotIn, "not_in"},
    {Operator::kFlagEvaluatesTo, "flag_evaluates_to"},
}};

}  // namespace

std::string_view OperatorName(Operator op) {
  for (const auto& [value, name] : kOperatorNames) {
    if (value == op) return name;
  }
  return "unknown";
}

Result<Operator> OperatorFromName(std::string_view name) {
  for (const auto& [value, op_name] : kOperatorNames) {
    if (op_name == name) return value;
  }
  return Status::InvalidArgument("unknown operator \"" + std::string(name) + "\"");
}

std::string_view FilterTypeName(FilterType type) {
  switch (type) {
    case FilterType::kPerson: return "person";
    case FilterType::kFlag: return "flag";
    case FilterType::kCohort: return "cohort";
  }
  return "unknown";
}

std::string_view ReasonName(Reason reason) {
  switch (reason) {
    case Reason::kConditionMatch: return "condition_match";
    case Reason::kOutOfRollout: return "out_of_rollout";
    case Reason::kNoConditionMatch: return "no_condition_match";
    case Reason::kDisabled: return "disabled";
    case Reason::kMissingProperty: return "missing_property";
    case Reason::kError: return "error";
    case Reason::kFlagNotFound: return "flag_not_found";
  }
  return "unknown";
}

}  // namespace switchyard
