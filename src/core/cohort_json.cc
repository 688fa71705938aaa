// The cohort wire form. Besides our own {"filters":{"groups":[...]}}, PostHog's nested
// {"properties":{"type":"OR","values":[{"type":"AND","values":[...]}]}} is accepted: any nesting
// of AND/OR is flattened into OR-of-AND groups (cross product for AND), capped so that a
// hostile definition cannot multiply into millions of groups.
#include <algorithm>
#include <string>
#include <utility>

#include "core/filter_json.h"
#include "core/flag_validation.h"
#include "core/json_fields.h"
#include "core/known_fields.h"
#include "core/text.h"
#include "switchyard/flag_json.h"

namespace switchyard {
namespace {

using core::FieldPath;
using core::IndexPath;
using core::Invalid;
using core::Json;
using core::Member;

constexpr std::size_t kMaxFlattenedGroups = 1000;

using Groups = std::vector<ConditionGroup>;

Result<Groups> FlattenNode(const Json& node, const std::string& path);

Status CrossInto(const Groups& right, const std::string& path, Groups* acc) {
  Groups product;
  if (acc->size() * right.size() > kMaxFlattenedGroups) {
    return Invalid(path, "expands to more than " + std::to_string(kMaxFlattenedGroups) + " groups");
  }
  for (const ConditionGroup& left_group : *acc) {
    for (const ConditionGroup& right_group : right) {
      ConditionGroup merged = left_group;
      merged.properties.insert(merged.properties.end(), right_group.properties.begin(),
                               right_group.properties.end());
      product.push_back(std::move(merged));
    }
  }
  *acc = std::move(product);
  return Status::Ok();
}

// {"type":"AND"|"OR","values":[node...]} -> OR-of-AND groups.
Result<Groups> FlattenBranch(const Json& node, const std::string& path) {
  if (Status s = core::CheckFields(node, path, core::kCohortBranchFields); !s.ok()) return s;
  std::string type = "AND";
  if (Status s = core::ReadString(node, "type", path, &type); !s.ok()) return s;
  if (type != "AND" && type != "OR") return Invalid(FieldPath(path, "type"), "must be \"AND\" or \"OR\"");
  const std::string values_path = FieldPath(path, "values");
  const Json* values_member = Member(node, "values");
  if (values_member == nullptr) return Invalid(values_path, "is required");
  const Json& values = *values_member;
  if (Status s = core::ExpectArray(values, values_path); !s.ok()) return s;
  Groups acc = type == "AND" ? Groups(1) : Groups();
  for (std::size_t i = 0; i < values.size(); ++i) {
    Result<Groups> child = FlattenNode(values[i], IndexPath(values_path, i));
    if (!child.ok()) return child.status();
    if (type == "AND") {
      if (Status s = CrossInto(*child, path, &acc); !s.ok()) return s;
    } else {
      acc.insert(acc.end(), child->begin(), child->end());
      if (acc.size() > kMaxFlattenedGroups) return Invalid(path, "has too many groups");
    }
  }
  return acc;
}

Result<Groups> FlattenNode(const Json& node, const std::string& path) {
  if (Status s = core::ExpectObject(node, path); !s.ok()) return s;
  // A branch by its members, or by its type when a typo hides "values".
  const Json* type = Member(node, "type");
  const bool branch_type = type != nullptr && (*type == "AND" || *type == "OR");
  if (node.contains("values") || branch_type) return FlattenBranch(node, path);
  Result<PropertyFilter> filter = core::FilterFromJson(node, path);
  if (!filter.ok()) return filter.status();
  Groups single(1);
  single[0].properties.push_back(std::move(filter).value());
  return single;
}

Status ReadCohortId(const Json& json, Cohort* cohort) {
  const Json* id = Member(json, "id");
  if (id == nullptr) return Invalid("id", "is required");
  if (!id->is_string() && !id->is_number_integer()) return Invalid("id", "must be a string or an integer");
  cohort->id = core::Stringify(*id);  // PostHog's ids are integers
  return Status::Ok();
}

// A static cohort's distinct ids: sorted and unique, so membership is a binary search.
Status ReadMembers(const Json& json, Cohort* cohort) {
  const Json* members = Member(json, "members");
  if (members == nullptr) return Status::Ok();
  if (Status s = core::ExpectArray(*members, "members"); !s.ok()) return s;
  if (members->size() > kMaxStaticCohortMembers) {
    return Invalid("members", "holds more than " + std::to_string(kMaxStaticCohortMembers) + " distinct ids");
  }
  for (std::size_t i = 0; i < members->size(); ++i) {
    const Json& id = (*members)[i];
    if (!id.is_string() || id.get_ref<const std::string&>().empty() ||
        id.get_ref<const std::string&>().size() > 400) {
      return Invalid(core::IndexPath("members", i), "must be a distinct id (a string of 1 to 400 bytes)");
    }
    cohort->members.push_back(id.get<std::string>());
  }
  std::sort(cohort->members.begin(), cohort->members.end());
  cohort->members.erase(std::unique(cohort->members.begin(), cohort->members.end()), cohort->members.end());
  return Status::Ok();
}

Status ReadCohort(const Json& json, Cohort* cohort) {
  if (Status s = core::ExpectObject(json, ""); !s.ok()) return s;
  if (Status s = core::CheckFields(json, "", core::kCohortFields); !s.ok()) return s;
  if (Status s = ReadCohortId(json, cohort); !s.ok()) return s;
  if (Status s = core::ReadString(json, "name", "", &cohort->name); !s.ok()) return s;
  if (Status s = core::ReadBool(json, "is_static", "", &cohort->is_static); !s.ok()) return s;
  if (cohort->is_static) return ReadMembers(json, cohort);
  if (Member(json, "members") != nullptr) return Invalid("members", "needs \"is_static\": true");
  if (const Json* filters = Member(json, "filters")) {
    if (Status s = core::ExpectObject(*filters, "filters"); !s.ok()) return s;
    if (Status s = core::CheckFields(*filters, "filters", core::kCohortFiltersFields); !s.ok()) return s;
    const Json* groups = Member(*filters, "groups");
    if (groups == nullptr) return Invalid("filters.groups", "is required");
    return core::GroupsFromJson(*groups, "filters.groups", &cohort->groups);
  }
  const Json* properties = Member(json, "properties");
  if (properties == nullptr) return Invalid("filters", "is required");
  Result<Groups> groups = FlattenNode(*properties, "properties");
  if (!groups.ok()) return groups.status();
  cohort->groups = std::move(groups).value();
  return Status::Ok();
}

}  // namespace

Result<Cohort> CohortFromJson(const nlohmann::json& json) {
  Cohort cohort;
  if (Status s = core::ReadGuarded("cohort", "", [&] { return ReadCohort(json, &cohort); }); !s.ok())
    return s;
  if (Status s = core::ValidateCohort(cohort); !s.ok()) return s;
  return cohort;
}

nlohmann::json CohortToJson(const Cohort& cohort) {
  if (cohort.is_static) {
    return Json{{"id", cohort.id}, {"name", cohort.name}, {"is_static", true}, {"members", cohort.members}};
  }
  return Json{{"id", cohort.id},
              {"name", cohort.name},
              {"filters", Json{{"groups", core::GroupsToJson(cohort.groups)}}}};
}

}  // namespace switchyard
