// Filter and group shapes. PostHog-isms accepted on input: a missing operator defaults by filter
// type (person -> exact, cohort -> in, flag -> flag_evaluates_to), and PostHog's cohort filter
// {"key":"id","value":<cohort id>} is read as key = cohort id.
#include "core/filter_json.h"

#include "core/known_fields.h"
#include "core/text.h"
#include "switchyard/flag_json.h"

namespace switchyard::core {
namespace {

Result<FilterType> ParseFilterType(const Json& json, const std::string& path) {
  std::string name = "person";
  if (Status s = ReadString(json, "type", path, &name); !s.ok()) return s;
  // PostHog's "group" filters sit in group flags, whose properties are the group's: they read
  // the evaluated entity's properties exactly as person filters do in a person flag.
  if (name == "person" || name == "group") return FilterType::kPerson;
  if (name == "flag") return FilterType::kFlag;
  if (name == "cohort") return FilterType::kCohort;
  return Invalid(FieldPath(path, "type"),
                 "has unsupported filter type \"" + name + "\" (expected person, group, flag or cohort)");
}

Operator DefaultOperator(FilterType type) {
  switch (type) {
    case FilterType::kCohort: return Operator::kIn;
    case FilterType::kFlag: return Operator::kFlagEvaluatesTo;
    case FilterType::kPerson: break;
  }
  return Operator::kExact;
}

Status ParseOperator(const Json& json, const std::string& path, PropertyFilter* filter) {
  filter->op = DefaultOperator(filter->type);
  std::optional<std::string> name;
  if (Status s = ReadString(json, "operator", path, &name); !s.ok()) return s;
  if (!name) return Status::Ok();
  Result<Operator> op = OperatorFromName(*name);
  if (!op.ok()) return Invalid(FieldPath(path, "operator"), "names unknown operator \"" + *name + "\"");
  filter->op = *op;
  return Status::Ok();
}

}  // namespace

Result<PropertyFilter> FilterFromJson(const Json& json, const std::string& path) {
  if (Status s = ExpectObject(json, path); !s.ok()) return s;
  if (Status s = CheckFields(json, path, kPropertyFilterFields); !s.ok()) return s;
  PropertyFilter filter;
  if (Status s = ReadRequiredString(json, "key", path, &filter.key); !s.ok()) return s;
  Result<FilterType> type = ParseFilterType(json, path);
  if (!type.ok()) return type.status();
  filter.type = *type;
  if (Status s = ParseOperator(json, path, &filter); !s.ok()) return s;
  if (const Json* value = Member(json, "value")) filter.value = *value;
  if (filter.type == FilterType::kCohort && filter.key == "id" &&
      (filter.value.is_number_integer() || filter.value.is_string())) {
    filter.key = Stringify(filter.value);
  }
  return filter;
}

Json FilterToJson(const PropertyFilter& filter) {
  return Json{{"key", filter.key},
              {"type", FilterTypeName(filter.type)},
              {"operator", OperatorName(filter.op)},
              {"value", filter.value}};
}

Status FiltersListFromJson(const Json& json, const std::string& path, std::vector<PropertyFilter>* out) {
  if (Status s = ExpectArray(json, path); !s.ok()) return s;
  for (std::size_t i = 0; i < json.size(); ++i) {
    Result<PropertyFilter> filter = FilterFromJson(json[i], IndexPath(path, i));
    if (!filter.ok()) return filter.status();
    out->push_back(std::move(filter).value());
  }
  return Status::Ok();
}

Status GroupsFromJson(const Json& json, const std::string& path, std::vector<ConditionGroup>* out) {
  if (Status s = ExpectArray(json, path); !s.ok()) return s;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const std::string group_path = IndexPath(path, i);
    if (Status s = ExpectObject(json[i], group_path); !s.ok()) return s;
    if (Status s = CheckFields(json[i], group_path, kConditionGroupFields); !s.ok()) return s;
    ConditionGroup group;
    if (const Json* properties = Member(json[i], "properties")) {
      Status s = FiltersListFromJson(*properties, FieldPath(group_path, "properties"), &group.properties);
      if (!s.ok()) return s;
    }
    if (Status s = ReadNumber(json[i], "rollout_percentage", group_path, &group.rollout_percentage);
        !s.ok()) {
      return s;
    }
    if (Status s = ReadString(json[i], "variant", group_path, &group.variant); !s.ok()) return s;
    out->push_back(std::move(group));
  }
  return Status::Ok();
}

Json GroupsToJson(const std::vector<ConditionGroup>& groups) {
  Json out = Json::array();
  for (const ConditionGroup& group : groups) {
    Json properties = Json::array();
    for (const PropertyFilter& filter : group.properties) properties.push_back(FilterToJson(filter));
    out.push_back(
        Json{{"properties", std::move(properties)},
             {"rollout_percentage", group.rollout_percentage ? Json(*group.rollout_percentage) : Json()},
             {"variant", group.variant ? Json(*group.variant) : Json()}});
  }
  return out;
}

}  // namespace switchyard::core
