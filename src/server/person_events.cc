#include "server/person_events.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include <nlohmann/json.hpp>

namespace switchyard::server {
namespace {

using nlohmann::json;

// Most events change no person: tell them apart without parsing their properties. A "maybe"
// (a `"$set` or `"$unset"` anywhere in the text, even inside a value) only costs the parse.
// Why memchr for '$' rather than string_view::find of `"$set`: find stops at every quote (a dozen
// in a small event), and this runs on the event writer's thread for every stored event.
bool MayChangePersons(const events::Event& event) {
  if (event.event == "$identify" || event.event == "$create_alias" || event.event == "$groupidentify") {
    return true;
  }
  const std::string_view properties = event.properties;
  std::size_t from = 0;
  while (from < properties.size()) {
    const void* found = std::memchr(properties.data() + from, '$', properties.size() - from);
    if (found == nullptr) return false;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(found) - properties.data());
    if (at > 0 && properties[at - 1] == '"') {
      const std::string_view name = properties.substr(at + 1);
      if (name.starts_with("set") || name.starts_with("unset\"")) return true;
    }
    from = at + 1;
  }
  return false;
}

json ObjectOrNull(const json& properties, const char* name) {
  auto it = properties.find(name);
  return it != properties.end() && it->is_object() ? *it : json();
}

json NamesOrNull(const json& properties, const char* name) {
  auto it = properties.find(name);
  if (it == properties.end() || !it->is_array()) return json();
  const bool names = std::all_of(it->begin(), it->end(), [](const json& n) { return n.is_string(); });
  return names ? *it : json();
}

// A distinct id or group key as PostHog's SDKs send it: a string, or a number they stringified.
std::string IdText(const json& properties, const char* name) {
  auto it = properties.find(name);
  if (it == properties.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return {};
}

}  // namespace

void AddPersonChanges(const events::Event& event, PersonChanges* changes) {
  if (!MayChangePersons(event)) return;
  const json properties = json::parse(event.properties, nullptr, /*allow_exceptions=*/false);
  if (!properties.is_object()) return;

  if (event.event == "$groupidentify") {
    store::GroupUpdate group{event.project_id, IdText(properties, "$group_type"),
                             IdText(properties, "$group_key"), ObjectOrNull(properties, "$group_set")};
    if (group.set.is_null()) group.set = json::object();
    if (!group.group_type.empty() && !group.group_key.empty()) changes->groups.push_back(std::move(group));
    return;
  }

  store::PersonUpdate update;
  update.project_id = event.project_id;
  update.distinct_id = event.distinct_id;
  update.set = ObjectOrNull(properties, "$set");
  update.set_once = ObjectOrNull(properties, "$set_once");
  update.unset = NamesOrNull(properties, "$unset");
  if (event.event == "$identify") update.alias = IdText(properties, "$anon_distinct_id");
  if (event.event == "$create_alias") update.alias = IdText(properties, "alias");
  if (update.alias == update.distinct_id) update.alias.clear();

  const bool changes_properties =
      !update.set.is_null() || !update.set_once.is_null() || !update.unset.is_null();
  if (!changes_properties && update.alias.empty()) return;
  changes->persons.push_back(std::move(update));
}

}  // namespace switchyard::server
