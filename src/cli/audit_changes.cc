#include "cli/audit_changes.h"

#include <algorithm>
#include <map>
#include <set>

#include "cli/flag_format.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

// Written by the server on every change, so never news.
const std::set<std::string> kBookkeeping = {"version",    "created_at", "updated_at", "updated_by",
                                            "project_id", "id",         "key"};

// Fields with their own words, in the order they are reported; anything else follows, by name.
const std::vector<std::string> kKnownOrder = {"active", "revoked", "name",         "description",
                                              "tags",   "filters", "environments", "bucketing_property"};

const Json& Member(const Json& object, const std::string& name) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(name);
  return it == object.end() ? kNull : *it;
}

// A percentage without its sign; null (everyone who matches) is 100.
std::string Percent(const Json& value) {
  if (!value.is_number()) return "100";
  std::string text = FormatPercent(value.get<double>());
  return text.substr(0, text.size() - 1);
}

std::string Quoted(const Json& value) {
  return value.is_string() ? Json(value).dump() : CellText(value);
}

// "a, b" for an array of strings (or of objects with a "key"), "none" when empty.
std::string List(const Json& values) {
  std::string out;
  if (values.is_array()) {
    for (const Json& value : values) {
      out +=
          (out.empty() ? "" : ", ") + (value.is_object() ? CellText(Member(value, "key")) : CellText(value));
    }
  }
  return out.empty() ? "none" : out;
}

Json WithoutRollout(Json group) {
  if (group.is_object()) group.erase("rollout_percentage");
  return group;
}

void DescribeGroups(const Json& before, const Json& after, std::vector<std::string>* out) {
  if (before == after) return;
  bool only_rollouts = before.is_array() && after.is_array() && before.size() == after.size();
  for (std::size_t i = 0; only_rollouts && i < before.size(); ++i) {
    only_rollouts = WithoutRollout(before[i]) == WithoutRollout(after[i]);
  }
  if (!only_rollouts) {
    out->push_back("groups changed");
    return;
  }
  for (std::size_t i = 0; i < before.size(); ++i) {
    std::string from = Percent(Member(before[i], "rollout_percentage"));
    std::string to = Percent(Member(after[i], "rollout_percentage"));
    if (from == to) continue;
    std::string what = before.size() == 1 ? "rollout " : "group " + std::to_string(i) + " rollout ";
    out->push_back(what + from + " → " + to + " %");
  }
}

void DescribeVariants(const Json& before, const Json& after, std::vector<std::string>* out) {
  const Json& from = Member(before, "variants");
  const Json& to = Member(after, "variants");
  if (from == to) return;
  if (List(from) != List(to)) {
    out->push_back("variants " + List(from) + " → " + List(to));
    return;
  }
  std::string split;
  for (std::size_t i = 0; i < from.size(); ++i) {
    std::string old_share = Percent(Member(from[i], "rollout_percentage"));
    std::string new_share = Percent(Member(to[i], "rollout_percentage"));
    if (old_share == new_share) continue;
    split +=
        (split.empty() ? "" : ", ") + CellText(Member(from[i], "key")) + " " + old_share + " → " + new_share;
  }
  out->push_back(split.empty() ? "variants changed" : "variant split " + split + " %");
}

void DescribePayloads(const Json& before, const Json& after, std::vector<std::string>* out) {
  std::set<std::string> keys;
  for (const Json* payloads : {&before, &after}) {
    if (!payloads->is_object()) continue;
    for (const auto& item : payloads->items()) keys.insert(item.key());
  }
  for (const std::string& key : keys) {
    const Json& from = Member(before, key);
    const Json& to = Member(after, key);
    if (from == to) continue;
    std::string what = key == "true" ? "payload " : "payload " + key + " ";
    out->push_back(what + (from.is_null() ? "set" : to.is_null() ? "removed" : "changed"));
  }
}

void DescribeFilters(const Json& before, const Json& after, std::vector<std::string>* out) {
  DescribeGroups(Member(before, "groups"), Member(after, "groups"), out);
  DescribeVariants(Member(before, "multivariate"), Member(after, "multivariate"), out);
  DescribePayloads(Member(before, "payloads"), Member(after, "payloads"), out);
  std::set<std::string> others;
  for (const Json* filters : {&before, &after}) {
    if (!filters->is_object()) continue;
    for (const auto& item : filters->items()) others.insert(item.key());
  }
  for (const std::string& key : others) {
    if (key == "groups" || key == "multivariate" || key == "payloads") continue;
    if (Member(before, key) != Member(after, key)) out->push_back("filters." + key + " changed");
  }
}

std::vector<std::string> DescribeObject(const Json& before, const Json& after, const std::string& where);

void DescribeEnvironments(const Json& before, const Json& after, std::vector<std::string>* out) {
  std::set<std::string> names;
  for (const Json* environments : {&before, &after}) {
    if (!environments->is_object()) continue;
    for (const auto& item : environments->items()) names.insert(item.key());
  }
  // A change made in every environment alike (a write that named none) is said once.
  std::map<std::string, std::vector<std::string>> by_environment;
  bool alike = true;
  for (const std::string& name : names) {
    const Json& from = Member(before, name);
    const Json& to = Member(after, name);
    if (from.is_null() || to.is_null() || from == to) {
      alike = false;
      continue;
    }
    by_environment[name] = DescribeObject(from, to, "");
    if (by_environment[name] != by_environment.begin()->second) alike = false;
  }
  if (alike && !by_environment.empty()) {
    for (std::string& change : by_environment.begin()->second) out->push_back(std::move(change));
    return;
  }
  for (const std::string& name : names) {
    const Json& from = Member(before, name);
    const Json& to = Member(after, name);
    if (from == to) continue;
    if (from.is_null() || to.is_null()) {
      out->push_back("environment " + name + (from.is_null() ? " added" : " removed"));
      continue;
    }
    for (std::string& change : DescribeObject(from, to, " in " + name)) out->push_back(std::move(change));
  }
}

// One field's change, or nothing when the field has no words of its own here.
void DescribeField(const std::string& field, const Json& from, const Json& to,
                   std::vector<std::string>* out) {
  if (field == "active" && from.is_boolean() && to.is_boolean()) {
    out->push_back(to.get<bool>() ? "enabled" : "disabled");
  } else if (field == "revoked" && to.is_boolean()) {
    out->push_back(to.get<bool>() ? "revoked" : "restored");
  } else if (field == "name") {
    out->push_back("name " + Quoted(from) + " → " + Quoted(to));
  } else if (field == "tags") {
    out->push_back("tags " + List(from) + " → " + List(to));
  } else if (field == "filters") {
    DescribeFilters(from, to, out);
  } else if (field == "environments") {
    DescribeEnvironments(from, to, out);
  } else if (field == "bucketing_property") {
    out->push_back("bucketing property " + (from.is_null() ? "none" : CellText(from)) + " → " +
                   (to.is_null() ? "none" : CellText(to)));
  } else {
    out->push_back(field + " changed");
  }
}

std::vector<std::string> DescribeObject(const Json& before, const Json& after, const std::string& where) {
  std::vector<std::string> fields = kKnownOrder;
  std::set<std::string> others;
  for (const Json* object : {&before, &after}) {
    if (!object->is_object()) continue;
    for (const auto& item : object->items()) others.insert(item.key());
  }
  for (const std::string& field : others) {
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) fields.push_back(field);
  }
  std::vector<std::string> changes;
  for (const std::string& field : fields) {
    if (kBookkeeping.count(field) > 0) continue;
    const Json& from = Member(before, field);
    const Json& to = Member(after, field);
    if (from == to) continue;
    std::vector<std::string> described;
    DescribeField(field, from, to, &described);
    for (std::string& change : described) {
      // Changes inside "environments" already say where they happened.
      changes.push_back(field == "environments" ? std::move(change) : change + where);
    }
  }
  return changes;
}

}  // namespace

std::vector<std::string> DescribeAuditChanges(const Json& entry) {
  const Json& environment = Member(entry, "environment");
  std::string where = environment.is_string() && !environment.get<std::string>().empty()
                          ? " in " + environment.get<std::string>()
                          : std::string();
  const Json& before = Member(entry, "before");
  const Json& after = Member(entry, "after");
  if (before.is_null() && after.is_null()) return {};
  if (before.is_null()) return {"created" + where};
  if (after.is_null()) return {"deleted" + where};
  return DescribeObject(before, after, where);
}

}  // namespace switchyard::cli
