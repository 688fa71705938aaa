#include "cli/flag_diff.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
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
  if (!value) return "(none)";
  // The server keeps percentages as doubles; 40 reads better than 40.0.
  if (value->is_number_float()) {
    const double number = value->get<double>();
    if (number == static_cast<double>(static_cast<std::int64_t>(number)) && std::abs(number) < 1e15) {
      return std::to_string(static_cast<std::int64_t>(number));
    }
  }
  return value->dump();
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

// "environments.staging.filters.x" -> {"staging", "filters.x"}; nullopt for other paths.
std::optional<std::pair<std::string, std::string>> SplitEnvironmentPath(const std::string& path) {
  static const std::string kPrefix = "environments.";
  if (path.rfind(kPrefix, 0) != 0) return std::nullopt;
  const std::size_t dot = path.find('.', kPrefix.size());
  if (dot == std::string::npos) return std::nullopt;
  return std::pair{path.substr(kPrefix.size(), dot - kPrefix.size()), path.substr(dot + 1)};
}

// One line per changed field; a change made alike in every environment is said once, one made in
// some is said with "(in a, b)".
std::vector<std::string> FieldLines(const FlagChange& change) {
  std::vector<std::string> lines;
  // (field, before, after) -> environments, in first-seen order.
  std::vector<std::pair<std::string, std::vector<std::string>>> grouped;
  std::map<std::string, std::size_t> index;
  for (const FieldChange& field : change.fields) {
    const std::string values = Describe(field.before) + " -> " + Describe(field.after);
    auto split = SplitEnvironmentPath(field.path);
    if (!split) {
      grouped.push_back({field.path + ": " + values, {}});
      continue;
    }
    const std::string line = split->second + ": " + values;
    auto [it, fresh] = index.emplace(line, grouped.size());
    if (fresh) grouped.push_back({line, {}});
    grouped[it->second].second.push_back(split->first);
  }
  for (const auto& [line, environments] : grouped) {
    if (environments.empty() || environments.size() == change.environment_count) {
      lines.push_back(line);
      continue;
    }
    std::string in;
    for (const std::string& environment : environments) in += (in.empty() ? "" : ", ") + environment;
    lines.push_back(line + " (in " + in + ")");
  }
  return lines;
}

}  // namespace

const std::vector<std::string>& DefinitionFields() {
  static const std::vector<std::string> kFields = {"key",    "name",    "description",        "tags",
                                                   "active", "filters", "bucketing_property", "environments"};
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
  // With per-environment targeting the top level only repeats production's.
  if (out.contains("environments")) {
    out.erase("active");
    out.erase("filters");
    for (auto& [key, targeting] : out["environments"].items()) {
      if (!targeting.contains("active")) targeting["active"] = false;
    }
  } else if (!out.contains("active")) {
    out["active"] = true;
  }
  return out;
}

std::vector<FieldChange> DiffFlags(const Json& before, const Json& after) {
  std::vector<FieldChange> out;
  Diff("", &before, &after, &out);
  return out;
}

Result<FlagPlan> PlanFromAnswer(const Json& answer) {
  auto bad = [] { return Status::Internal("the server's apply answer has no plan (\"changes\")"); };
  if (!answer.is_object() || !answer.contains("changes") || !answer["changes"].is_array()) return bad();
  FlagPlan plan;
  for (const Json& change : answer["changes"]) {
    if (!change.is_object() || !change.contains("key") || !change["key"].is_string()) return bad();
    const std::string action = change.value("action", "");
    FlagChange out;
    out.key = change["key"];
    if (action == "create") {
      out.kind = ChangeKind::kCreate;
    } else if (action == "delete") {
      out.kind = ChangeKind::kDelete;
    } else if (action == "update") {
      out.kind = ChangeKind::kUpdate;
      const Json before = ComparableFlag(change.value("before", Json::object()));
      const Json after = ComparableFlag(change.value("after", Json::object()));
      out.fields = DiffFlags(before, after);
      if (after.contains("environments")) out.environment_count = after["environments"].size();
    } else {
      return bad();
    }
    plan.changes.push_back(std::move(out));
  }
  if (auto unchanged = answer.find("unchanged"); unchanged != answer.end() && unchanged->is_array()) {
    plan.unchanged = static_cast<int>(unchanged->size());
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
        for (const std::string& line : FieldLines(change)) out += "  " + line + "\n";
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
