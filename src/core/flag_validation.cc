// What a definition may contain. The first problem wins; its field path is canonical (the shape
// FlagToJson writes), whatever shape the input came in.
#include "core/flag_validation.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <vector>

#include "core/closest_name.h"
#include "core/date_value.h"
#include "core/json_fields.h"
#include "core/regex_options.h"
#include "core/semver.h"
#include "core/text.h"
#include "switchyard/flag_json.h"

namespace switchyard::core {
namespace {

constexpr double kVariantSumTolerance = 1e-6;

bool IsPercentage(double value) {
  return value >= 0 && value <= 100;
}  // false for NaN too

bool IsScalar(const Json& value) {
  return value.is_string() || value.is_number() || value.is_boolean();
}

bool AllowedForType(Operator op, FilterType type) {
  switch (type) {
    case FilterType::kFlag: return op == Operator::kFlagEvaluatesTo;
    case FilterType::kCohort: return op == Operator::kIn || op == Operator::kNotIn;
    case FilterType::kPerson: break;
  }
  return op != Operator::kFlagEvaluatesTo && op != Operator::kIn && op != Operator::kNotIn;
}

// Built with append: GCC 12 reports a false -Wrestrict on chains of operator+ here.
std::string OperatorNotAllowed(const PropertyFilter& filter) {
  std::string message = "\"";
  message.append(OperatorName(filter.op));
  message.append("\" is not allowed for a ");
  message.append(FilterTypeName(filter.type));
  message.append(" filter");
  return message;
}

bool SemverValueParses(Operator op, const std::string& text) {
  switch (op) {
    case Operator::kSemverTilde: return TildeRange(text).has_value();
    case Operator::kSemverCaret: return CaretRange(text).has_value();
    case Operator::kSemverWildcard: return WildcardRange(text).has_value();
    default: return ParseSemver(text).has_value();
  }
}

Status ValidateExactValue(const Json& value, const std::string& path) {
  if (IsScalar(value)) return Status::Ok();
  if (!value.is_array()) return Invalid(path, "must be a string, number, boolean or a list of them");
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!IsScalar(value[i])) return Invalid(IndexPath(path, i), "must be a string, number or boolean");
  }
  return Status::Ok();
}

Status ValidateStringValue(const PropertyFilter& filter, const std::string& path) {
  if (!filter.value.is_string()) return Invalid(path, "must be a string");
  const std::string& text = filter.value.get_ref<const std::string&>();
  if (filter.op == Operator::kRegex || filter.op == Operator::kNotRegex) {
    const RE2 re(text, RegexOptions());
    if (!re.ok()) return Invalid(path, "is not a valid regular expression: " + re.error());
  } else if (filter.op == Operator::kIsDateBefore || filter.op == Operator::kIsDateAfter) {
    if (!DateTarget::Parse(text)) {
      return Invalid(path, "must be an ISO-8601 date or a relative date such as \"-7d\"");
    }
  } else if (!SemverValueParses(filter.op, text)) {
    return Invalid(path, "is not a version (expected e.g. \"1.2.3\", each part at most 9223372036854775807)");
  }
  return Status::Ok();
}

Status ValidatePersonValue(const PropertyFilter& filter, const std::string& path) {
  switch (filter.op) {
    case Operator::kIsSet:
    case Operator::kIsNotSet: return Status::Ok();
    case Operator::kExact:
    case Operator::kIsNot: return ValidateExactValue(filter.value, path);
    case Operator::kGt:
    case Operator::kGte:
    case Operator::kLt:
    case Operator::kLte:
      if (filter.value.is_number() || filter.value.is_string()) return Status::Ok();
      return Invalid(path, "must be a number or a string");
    case Operator::kIContains:
    case Operator::kNotIContains:
    case Operator::kStartsWith:
    case Operator::kNotStartsWith:
    case Operator::kEndsWith:
    case Operator::kNotEndsWith:
      return IsScalar(filter.value) ? Status::Ok() : Invalid(path, "must be a string, number or boolean");
    default: return ValidateStringValue(filter, path);
  }
}

Status ValidateGroups(const std::vector<ConditionGroup>& groups, const std::string& path, bool in_cohort) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string group_path = IndexPath(path, i);
    const auto& rollout = groups[i].rollout_percentage;
    if (rollout && !IsPercentage(*rollout)) {
      return Invalid(FieldPath(group_path, "rollout_percentage"), "must be between 0 and 100");
    }
    for (std::size_t j = 0; j < groups[i].properties.size(); ++j) {
      const std::string filter_path = FilterPath(path, i, j);
      if (Status s = ValidateFilter(groups[i].properties[j], filter_path, in_cohort); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Status ValidateVariants(const std::vector<Variant>& variants) {
  const std::string path = "filters.multivariate.variants";
  std::set<std::string> seen;
  double sum = 0;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const std::string variant_path = IndexPath(path, i);
    if (variants[i].key.empty()) return Invalid(FieldPath(variant_path, "key"), "must not be empty");
    if (!seen.insert(variants[i].key).second) {
      return Invalid(FieldPath(variant_path, "key"), "repeats variant \"" + variants[i].key + "\"");
    }
    if (!IsPercentage(variants[i].rollout_percentage)) {
      return Invalid(FieldPath(variant_path, "rollout_percentage"), "must be between 0 and 100");
    }
    sum += variants[i].rollout_percentage;
  }
  if (!variants.empty() && std::abs(sum - 100) > kVariantSumTolerance) {
    return Invalid(path, "rollout percentages must sum to 100, not " + Stringify(Json(sum)));
  }
  return Status::Ok();
}

Status ValidatePayloadKeys(const Flag& flag) {
  for (const auto& [key, payload] : flag.payloads) {
    const std::string path = FieldPath("filters.payloads", key);
    if (!flag.is_multivariate() && key != "true") {
      return Invalid(path, "is not allowed: a boolean flag has only the payload \"true\"");
    }
    // An init-capture: clang 14 (the fuzz and thread-safety builds) cannot capture a structured binding.
    if (flag.is_multivariate() && !std::any_of(flag.variants.begin(), flag.variants.end(),
                                               [&name = key](const Variant& v) { return v.key == name; })) {
      std::vector<std::string> variant_keys;
      for (const Variant& v : flag.variants) variant_keys.push_back(v.key);
      const std::optional<std::string> meant = ClosestName(key, variant_keys);
      return Invalid(path, "names no variant of this flag" +
                               (meant ? "; did you mean '" + *meant + "'?" : std::string()));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateFilter(const PropertyFilter& filter, const std::string& path, bool in_cohort) {
  if (filter.key.empty()) return Invalid(FieldPath(path, "key"), "must not be empty");
  if (in_cohort && filter.type != FilterType::kPerson) {
    return Invalid(FieldPath(path, "type"), "must be person inside a cohort");
  }
  if (!AllowedForType(filter.op, filter.type)) {
    return Invalid(FieldPath(path, "operator"), OperatorNotAllowed(filter));
  }
  const std::string value_path = FieldPath(path, "value");
  if (filter.op != Operator::kIsSet && filter.op != Operator::kIsNotSet &&
      filter.type != FilterType::kCohort && filter.value.is_null()) {
    return Invalid(value_path, "is required");
  }
  switch (filter.type) {
    case FilterType::kCohort:
      return IsValidKey(filter.key) ? Status::Ok() : Invalid(FieldPath(path, "key"), "is not a cohort id");
    case FilterType::kFlag:
      if (!IsValidKey(filter.key)) return Invalid(FieldPath(path, "key"), "is not a flag key");
      if (filter.value.is_boolean() || filter.value.is_string()) return Status::Ok();
      return Invalid(value_path, "must be true, false or a variant key");
    case FilterType::kPerson: break;
  }
  return ValidatePersonValue(filter, value_path);
}

Status ValidateFilters(const Flag& flag) {
  if (Status s = ValidateGroups(flag.groups, "filters.groups", false); !s.ok()) return s;
  if (Status s = ValidateVariants(flag.variants); !s.ok()) return s;
  return ValidatePayloadKeys(flag);
}

Status ValidateFlag(const Flag& flag) {
  if (!IsValidKey(flag.key))
    return Invalid("key", "must be 1..200 characters of [A-Za-z0-9_.-], not \".\" or \"..\"");
  if (flag.bucketing_property && flag.bucketing_property->empty()) {
    return Invalid("bucketing_property", "must not be empty");
  }
  return ValidateFilters(flag);
}

Status ValidateCohort(const Cohort& cohort) {
  if (!IsValidKey(cohort.id))
    return Invalid("id", "must be 1..200 characters of [A-Za-z0-9_.-], not \".\" or \"..\"");
  return ValidateGroups(cohort.groups, "filters.groups", true);
}

}  // namespace switchyard::core
