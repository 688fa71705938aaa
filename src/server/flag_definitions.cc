#include "server/flag_definitions.h"

#include <functional>

#include "core/filter_json.h"
#include "server/posthog_flag_id.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

// Prerequisites first, the flag itself last: the order PostHog's dependency_chain lists.
void DependencyChain(const FlagSet& snapshot, const Flag& flag, std::set<std::string>* seen,
                     std::vector<std::string>* chain) {
  if (!seen->insert(flag.key).second) return;
  for (const ConditionGroup& group : flag.groups) {
    for (const PropertyFilter& filter : group.properties) {
      if (filter.type != FilterType::kFlag) continue;
      if (const Flag* prerequisite = snapshot.Find(filter.key))
        DependencyChain(snapshot, *prerequisite, seen, chain);
    }
  }
  chain->push_back(flag.key);
}

json FilterJson(const FlagSet& snapshot, const PropertyFilter& filter, const Flag* group_flag) {
  json out = core::FilterToJson(filter);
  switch (filter.type) {
    case FilterType::kCohort:
      out["value"] = filter.key;  // posthog-node reads the cohort id from value
      out["key"] = "id";
      break;
    case FilterType::kFlag: {
      std::set<std::string> seen;
      std::vector<std::string> chain;
      if (const Flag* target = snapshot.Find(filter.key)) DependencyChain(snapshot, *target, &seen, &chain);
      out["dependency_chain"] = chain;
      break;
    }
    case FilterType::kPerson:
      if (group_flag != nullptr) {
        out["type"] = "group";
        out["group_type_index"] = *group_flag->aggregation_group_type_index;
      }
      break;
  }
  return out;
}

json GroupsJson(const FlagSet& snapshot, const std::vector<ConditionGroup>& groups, const Flag* group_flag) {
  json out = json::array();
  for (const ConditionGroup& group : groups) {
    json properties = json::array();
    for (const PropertyFilter& filter : group.properties)
      properties.push_back(FilterJson(snapshot, filter, group_flag));
    json item{{"properties", std::move(properties)},
              {"rollout_percentage", group.rollout_percentage ? json(*group.rollout_percentage) : json()}};
    if (group.variant) item["variant"] = *group.variant;
    out.push_back(std::move(item));
  }
  return out;
}

json FlagJson(const FlagSet& snapshot, const Flag& flag, bool server_only) {
  const Flag* group_flag = flag.aggregation_group_type_index ? &flag : nullptr;
  json filters = FiltersToJson(flag);
  filters["groups"] = GroupsJson(snapshot, flag.groups, group_flag);
  json payloads = json::object();
  for (const auto& [outcome, payload] : flag.payloads) payloads[outcome] = payload.dump();
  filters["payloads"] = std::move(payloads);
  filters["aggregation_group_type_index"] =
      flag.aggregation_group_type_index ? json(*flag.aggregation_group_type_index) : json();
  const bool device = flag.bucketing_property == "$device_id";
  const bool other_bucketing = flag.bucketing_property && !device;
  json out{{"id", PostHogFlagId(flag.key)},
           {"key", flag.key},
           {"name", flag.name},
           {"active", flag.active},
           {"deleted", false},
           {"version", flag.version},
           {"filters", std::move(filters)},
           {"ensure_experience_continuity", server_only || other_bucketing}};
  if (device) out["bucketing_identifier"] = "device_id";
  return out;
}

json CohortJson(const Cohort& cohort) {
  json values = json::array();
  for (const ConditionGroup& group : cohort.groups) {
    json filters = json::array();
    for (const PropertyFilter& filter : group.properties) {
      json item = core::FilterToJson(filter);
      if (filter.type == FilterType::kCohort) {
        item["value"] = filter.key;
        item["key"] = "id";
      }
      filters.push_back(std::move(item));
    }
    values.push_back(json{{"type", "AND"}, {"values", std::move(filters)}});
  }
  return json{{"type", "OR"}, {"values", std::move(values)}};
}

}  // namespace

json DefinitionsJson(const FlagSet& snapshot, const std::vector<store::GroupType>& group_types,
                     const std::set<std::string>& server_only, bool send_cohorts) {
  json flags = json::array();
  for (std::size_t i = 0; i < snapshot.size(); ++i) {
    const Flag& flag = snapshot.flag(i);
    flags.push_back(FlagJson(snapshot, flag, server_only.contains(flag.key)));
  }
  json mapping = json::object();
  for (const store::GroupType& type : group_types) mapping[std::to_string(type.index)] = type.name;
  json cohorts = json::object();
  if (send_cohorts) {
    for (std::size_t i = 0; i < snapshot.cohort_count(); ++i) {
      const Cohort& cohort = snapshot.cohort(i);
      // Left out: posthog-node then asks the server for flags that use it.
      if (!cohort.is_static) cohorts[cohort.id] = CohortJson(cohort);
    }
  }
  return json{{"flags", std::move(flags)},
              {"group_type_mapping", std::move(mapping)},
              {"cohorts", std::move(cohorts)}};
}

}  // namespace switchyard::server
