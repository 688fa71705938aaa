#include "server/group_inputs.h"

namespace switchyard::server {

using nlohmann::json;

Result<RequestGroups> ReadRequestGroups(const json& body) {
  RequestGroups out;
  auto groups = body.find("groups");
  if (groups != body.end() && !groups->is_null()) {
    if (!groups->is_object())
      return Status::InvalidArgument("groups must be an object {type: key}", "groups");
    if (groups->size() > static_cast<std::size_t>(store::kMaxGroupTypes)) {
      return Status::InvalidArgument(
          "groups names at most " + std::to_string(store::kMaxGroupTypes) + " group types", "groups");
    }
    for (const auto& [type, key] : groups->items()) {
      std::string text = key.is_string() ? key.get<std::string>() : key.is_number() ? key.dump() : "";
      if (text.empty() || text.size() > 400) {
        return Status::InvalidArgument("a group key must be a string of 1 to 400 bytes", "groups." + type);
      }
      out.keys[type] = std::move(text);
    }
  }
  auto properties = body.find("group_properties");
  if (properties != body.end() && !properties->is_null()) {
    if (!properties->is_object()) {
      return Status::InvalidArgument("group_properties must be an object {type: {...}}", "group_properties");
    }
    for (const auto& [type, value] : properties->items()) {
      if (!value.is_object()) {
        return Status::InvalidArgument("group properties must be an object", "group_properties." + type);
      }
      out.properties[type] = value;
    }
  }
  return out;
}

Result<std::map<int, EvaluationGroup>> ResolveGroups(store::Store& store, std::int64_t project_id,
                                                     const RequestGroups& groups) {
  std::map<int, EvaluationGroup> out;
  if (groups.empty()) return out;
  Result<std::vector<store::GroupType>> types = store.ListGroupTypes(project_id);
  if (!types.ok()) return types.status();
  for (const store::GroupType& type : *types) {
    auto key = groups.keys.find(type.name);
    if (key == groups.keys.end()) continue;
    EvaluationGroup group{key->second, json::object()};
    Result<store::Group> stored = store.GetGroup(project_id, type.name, key->second);
    if (stored.ok()) {
      group.properties = std::move(stored->properties);
    } else if (stored.status().code() != StatusCode::kNotFound) {
      return stored.status();
    }
    auto given = groups.properties.find(type.name);
    if (given != groups.properties.end()) {
      for (const auto& [name, value] : given->second.items()) group.properties[name] = value;
    }
    out.emplace(type.index, std::move(group));
  }
  return out;
}

}  // namespace switchyard::server
