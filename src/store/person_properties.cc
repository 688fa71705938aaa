#include "store/person_properties.h"

#include <algorithm>

namespace switchyard::store {

using nlohmann::json;

Status ValidatePersonUpdate(const json& set, const json& set_once, const json& unset) {
  if (!set.is_null() && !set.is_object()) return Status::InvalidArgument("$set must be an object", "$set");
  if (!set_once.is_null() && !set_once.is_object()) {
    return Status::InvalidArgument("$set_once must be an object", "$set_once");
  }
  if (unset.is_null()) return Status::Ok();
  const bool names_only = unset.is_array() && std::all_of(unset.begin(), unset.end(),
                                                          [](const json& n) { return n.is_string(); });
  if (!names_only) return Status::InvalidArgument("$unset must be an array of property names", "$unset");
  return Status::Ok();
}

void ApplyPersonUpdate(const json& set, const json& set_once, const json& unset, json* properties) {
  if (!properties->is_object()) *properties = json::object();
  if (set_once.is_object()) {
    for (const auto& [name, value] : set_once.items()) {
      if (!properties->contains(name)) (*properties)[name] = value;
    }
  }
  if (set.is_object()) {
    for (const auto& [name, value] : set.items()) (*properties)[name] = value;
  }
  if (unset.is_array()) {
    for (const json& name : unset) properties->erase(name.get<std::string>());
  }
}

void MergePersonProperties(const json& absorbed, json* into) {
  if (!into->is_object()) *into = json::object();
  if (!absorbed.is_object()) return;
  for (const auto& [name, value] : absorbed.items()) {
    if (!into->contains(name)) (*into)[name] = value;
  }
}

Status ValidatePersonProperties(const json& properties) {
  if (!properties.is_object()) return Status::InvalidArgument("properties must be an object", "properties");
  return Status::Ok();
}

}  // namespace switchyard::store
