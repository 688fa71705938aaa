#include "cli/flag_diff.h"

#include <algorithm>
#include <map>
#include <set>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

bool IsEmptyValue(const Json& value) {
  return value.is_null() || ((value.is_object() || value.is_array()) && value.empty());
}

// Drops null / {} / [] members at every depth (array elements are kept: positions matter).
Json StripEmpty(const Json& value) {
  if (value.is_array()) {
    Json out = Json::array();
    for (const auto& item : value) out.push_back(StripEmpty(item));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::object();
  for (const auto& [key, item] : value.items()) {
    Json stripped = StripEmpty(item);
    if (!IsEmptyValue(stripped)) out[key] = std::move(stripped);
  }
  return out;
}

std::string Describe(const std::optional<Json>& value) {
  return value ? value->dump() : "(none)";
}

void Diff(const std::string& path, const Json* before, const Json* after, std::vector<FieldChange>* out) {
  if (before != nullptr && after != nullptr && *before == *after) return;
  bool both_objects = before != nullptr && after != nullptr && before->is_object() && after->is_object();
  bool same_arrays = before != nullptr && after != nullptr && before->is_array() && after->is_array() &&
                     before->size() == after->size();
  if (both_objects) {
    std::set<std::string> keys;
    for (const auto& [key, ignored] : before->items()) keys.insert(key);
    for (const auto& [key, ignored] : after->items()) keys.insert(key);
    for (const std::string& key : keys) {
      auto b = before->find(key);
      auto a = after->find(key);
      Diff(path.empty() ? key : path + "." + key, b == before->end() ? nullptr : &*b,
           a == after->end() ? nullptr : &*a, out);
    }
  } else if (same_arrays) {
    for (std::size_t i = 0; i < before->size(); ++i) {
      Diff(path + "[" + std::to_string(i) + "]", &(*before)[i], &(*after)[i], out);
    }
  } else {
    out->push_back(FieldChange{path, before ? std::optional<Json>(*before) : std::nullopt,
                               after ? std::optional<Json>(*after) : std::nullopt});
  }
}

Result<std::map<std::string, const Json*>> IndexDesired(const Json& desired) {
  std::map<std::string, const Json*> index;
  if (!desired.is_array()) return Status::InvalidArgument("must be a list of flags", "flags");
  for (std::size_t i = 0; i < desired.size(); ++i) {
    const Json& flag = desired[i];
    std::string field = "flags[" + std::to_string(i) + "].key";
    if (!flag.is_object() || !flag.contains("key") || !flag["key"].is_string() ||
        flag["key"].get<std::string>().empty()) {
      return Status::InvalidArgument("every flag needs a key", field);
    }
    if (!index.emplace(flag["key"].get<std::string>(), &flag).second) {
      return Status::InvalidArgument("flag '" + flag["key"].get<std::string>() + "' is defined twice", field);
    }
  }
  return index;
}

std::int64_t VersionOf(const Json& flag) {
  auto it = flag.find("version");
  return it != flag.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace

const std::vector<std::string>& DefinitionFields() {
  static const std::vector<std::string> kFields = {"key",    "name",    "description",       "tags",
                                                   "active", "filters", "bucketing_property"};
  return kFields;
}

int FlagPlan::Count(ChangeKind kind) const {
  return static_cast<int>(
      std::count_if(changes.begin(), changes.end(), [kind](const FlagChange& c) { return c.kind == kind; }));
}

Json ComparableFlag(const Json& flag) {
  Json out = Json::object();
  for (const std::string& field : DefinitionFields()) {
    if (flag.is_object() && flag.contains(field)) out[field] = flag[field];
  }
  out = StripEmpty(out);
  for (const char* field : {"name", "description"}) {
    if (out.contains(field) && out[field] == "") out.erase(field);
  }
  if (!out.contains("active")) out["active"] = true;
  return out;
}

std::vector<FieldChange> DiffFlags(const Json& before, const Json& after) {
  std::vector<FieldChange> out;
  Diff("", &before, &after, &out);
  return out;
}

Result<FlagPlan> PlanApply(const Json& desired, const Json& current, bool prune) {
  Result<std::map<std::string, const Json*>> wanted = IndexDesired(desired);
  if (!wanted.ok()) return wanted.status();
  std::map<std::string, const Json*> existing;
  for (const Json& flag : current) existing.emplace(flag.value("key", std::string()), &flag);

  FlagPlan plan;
  std::vector<FlagChange> updates, deletes;
  for (const auto& [key, flag] : *wanted) {
    auto it = existing.find(key);
    if (it == existing.end()) {
      plan.changes.push_back(FlagChange{ChangeKind::kCreate, key, *flag, 0, {}});
      continue;
    }
    std::vector<FieldChange> fields = DiffFlags(ComparableFlag(*it->second), ComparableFlag(*flag));
    if (fields.empty()) {
      ++plan.unchanged;
    } else {
      updates.push_back(
          FlagChange{ChangeKind::kUpdate, key, *flag, VersionOf(*it->second), std::move(fields)});
    }
  }
  for (const auto& [key, flag] : existing) {
    if (prune && wanted->count(key) == 0) {
      deletes.push_back(FlagChange{ChangeKind::kDelete, key, Json(), VersionOf(*flag), {}});
    }
  }
  for (auto* group : {&updates, &deletes}) {
    std::move(group->begin(), group->end(), std::back_inserter(plan.changes));
  }
  return plan;
}

std::string RenderPlan(const FlagPlan& plan) {
  std::string out;
  for (const FlagChange& change : plan.changes) {
    switch (change.kind) {
      case ChangeKind::kCreate: out += "+ create " + change.key + "\n"; break;
      case ChangeKind::kDelete: out += "- delete " + change.key + "\n"; break;
      case ChangeKind::kUpdate:
        out += "~ update " + change.key + "\n";
        for (const FieldChange& field : change.fields) {
          out += "  " + field.path + ": " + Describe(field.before) + " -> " + Describe(field.after) + "\n";
        }
        break;
    }
  }
  out += std::to_string(plan.Count(ChangeKind::kCreate)) + " to create, " +
         std::to_string(plan.Count(ChangeKind::kUpdate)) + " to update, " +
         std::to_string(plan.Count(ChangeKind::kDelete)) + " to delete, " + std::to_string(plan.unchanged) +
         " unchanged\n";
  return out;
}

}  // namespace switchyard::cli
