#include "cli/posthog_import.h"

#include <optional>
#include <utility>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

// A PostHog id as text: ids are numbers in its API and strings inside filters ("key": "42").
std::optional<std::string> IdText(const Json& id) {
  if (id.is_number_integer()) return std::to_string(id.get<long long>());
  if (id.is_string() && !id.get_ref<const std::string&>().empty()) return id.get<std::string>();
  return std::nullopt;
}

// What PostHog writes for a feature that is not in use.
bool InUse(const Json* value) {
  if (value == nullptr || value->is_null()) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_array() || value->is_object()) return !value->empty();
  if (value->is_string()) return !value->get_ref<const std::string&>().empty();
  return true;
}

const Json* Member(const Json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

// PostHog leaves fields null as often as it leaves them out: both read as the default.
bool BoolOr(const Json& object, const char* name, bool fallback) {
  const Json* value = Member(object, name);
  return value != nullptr && value->is_boolean() ? value->get<bool>() : fallback;
}

std::string StringOr(const Json& object, const char* name, std::string fallback) {
  const Json* value = Member(object, name);
  return value != nullptr && value->is_string() ? value->get<std::string>() : fallback;
}

std::string Quoted(const std::string& key) {
  return "'" + key + "'";
}

// Unresolved references, each with the flags that use it, listed once.
class MissingReferences {
 public:
  void Add(const std::string& what, const std::string& flag_key) {
    auto& users = users_[what];
    if (users.empty() || users.back() != flag_key) users.push_back(flag_key);
  }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    for (const auto& [what, users] : users_) {
      std::string line = what + " (used by ";
      for (std::size_t i = 0; i < users.size(); ++i) line += (i > 0 ? ", " : "") + Quoted(users[i]);
      lines.push_back(line + ")");
    }
    return lines;
  }

 private:
  std::map<std::string, std::vector<std::string>> users_;
};

struct Translator {
  const PostHogImportOptions& options;
  std::map<std::string, std::string> flag_keys;  // PostHog flag id -> key, over the whole export
  MissingReferences missing;
  PostHogImport out;

  void Unsupported(const std::string& key, const std::string& what) {
    out.unsupported.push_back("flag " + Quoted(key) + ": " + what);
  }

  // A feature that changes how the flag is managed, not whom it serves.
  void Droppable(const std::string& key, const std::string& what) {
    if (options.allow_unsupported) {
      out.dropped.push_back("flag " + Quoted(key) + ": " + what);
    } else {
      Unsupported(key, what + " (--allow-unsupported leaves it out)");
    }
  }

  Json Filter(const std::string& key, const Json& filter, const std::string& where) {
    Json ours = Json::object();
    for (const char* name : {"key", "type", "operator", "value"}) {
      if (const Json* value = Member(filter, name); value != nullptr && !value->is_null())
        ours[name] = *value;
    }
    if (InUse(Member(filter, "negation"))) Unsupported(key, where + ".negation (negated filters)");
    std::string type = StringOr(filter, "type", "person");
    if (type == "cohort") {
      std::optional<std::string> id = IdText(ours.value("value", Json()));
      if (!id) {
        Unsupported(key, where + ".value (a cohort filter without a cohort id)");
        return ours;
      }
      auto mapped = options.cohort_map.find(*id);
      if (mapped != options.cohort_map.end()) {
        ours["value"] = mapped->second;
      } else if (options.our_cohorts.count(*id) > 0) {
        ours["value"] = *id;
      } else {
        missing.Add("cohort " + *id, key);
      }
    } else if (type == "flag") {
      std::optional<std::string> id = IdText(ours.value("key", Json()));
      auto found = id ? flag_keys.find(*id) : flag_keys.end();
      if (found != flag_keys.end()) {
        ours["key"] = found->second;
      } else {
        missing.Add("prerequisite flag id " + id.value_or("(none)") + " (not in this export)", key);
      }
    } else if (type != "person") {
      Unsupported(key, where + ".type '" + type + "' (only person, cohort and flag filters)");
    }
    return ours;
  }

  Json Group(const std::string& key, const Json& group, const std::string& where) {
    Json ours = Json::object();
    Json properties = Json::array();
    if (const Json* given = Member(group, "properties"); given != nullptr && given->is_array()) {
      for (std::size_t i = 0; i < given->size(); ++i) {
        properties.push_back(Filter(key, (*given)[i], where + ".properties[" + std::to_string(i) + "]"));
      }
    }
    ours["properties"] = std::move(properties);
    for (const char* name : {"rollout_percentage", "variant"}) {
      if (const Json* value = Member(group, name); value != nullptr && !value->is_null()) ours[name] = *value;
    }
    if (InUse(Member(group, "aggregation_group_type_index")))
      Unsupported(key, where + ".aggregation_group_type_index (group flags)");
    return ours;  // a group's description and sort_key are PostHog's UI labels
  }

  Json Filters(const std::string& key, const Json& filters) {
    Json ours = Json::object();
    Json groups = Json::array();
    if (const Json* given = Member(filters, "groups"); given != nullptr && given->is_array()) {
      for (std::size_t i = 0; i < given->size(); ++i) {
        groups.push_back(Group(key, (*given)[i], "filters.groups[" + std::to_string(i) + "]"));
      }
    }
    ours["groups"] = std::move(groups);
    if (const Json* multivariate = Member(filters, "multivariate"); InUse(multivariate)) {
      Json variants = Json::array();
      const Json* given = Member(*multivariate, "variants");
      for (const Json& variant : given != nullptr && given->is_array() ? *given : Json::array()) {
        Json v = Json::object();
        for (const char* name : {"key", "name", "rollout_percentage"}) {
          if (const Json* value = Member(variant, name); value != nullptr && !value->is_null())
            v[name] = *value;
        }
        variants.push_back(std::move(v));
      }
      ours["multivariate"] = {{"variants", std::move(variants)}};
    }
    if (const Json* payloads = Member(filters, "payloads"); InUse(payloads)) ours["payloads"] = *payloads;
    if (InUse(Member(filters, "aggregation_group_type_index")))
      Unsupported(key, "filters.aggregation_group_type_index (group flags)");
    if (InUse(Member(filters, "holdout_groups")))
      Unsupported(key, "filters.holdout_groups (PostHog holdouts)");
    if (InUse(Member(filters, "super_groups")))
      Droppable(key, "filters.super_groups (early access enrolment)");
    return ours;
  }

  Json Flag(const std::string& key, const Json& flag) {
    Json ours = {{"key", key}};
    if (const Json* name = Member(flag, "name"); name != nullptr && name->is_string() && !name->empty())
      ours["description"] = *name;
    ours["active"] = BoolOr(flag, "active", true);
    if (const Json* tags = Member(flag, "tags"); InUse(tags)) ours["tags"] = *tags;
    if (const Json* bucketing = Member(flag, "bucketing_identifier"); InUse(bucketing))
      ours["bucketing_identifier"] = *bucketing;
    const Json* filters = Member(flag, "filters");
    ours["filters"] = Filters(key, filters != nullptr ? *filters : Json::object());
    if (InUse(Member(flag, "aggregation_group_type_index")))
      Unsupported(key, "aggregation_group_type_index (group flags)");
    if (InUse(Member(flag, "has_encrypted_payloads")))
      Unsupported(key, "has_encrypted_payloads (encrypted payloads cannot be read from an export)");
    if (InUse(Member(flag, "ensure_experience_continuity")))
      Droppable(key, "ensure_experience_continuity (a user keeps the value seen before identify)");
    if (InUse(Member(flag, "rollback_conditions")))
      Droppable(key, "rollback_conditions (automatic rollback)");
    if (const Json* runtime = Member(flag, "evaluation_runtime");
        InUse(runtime) && runtime->is_string() && *runtime != "all" && *runtime != "server") {
      Droppable(key,
                "evaluation_runtime '" + runtime->get<std::string>() + "' (where the flag may be evaluated)");
    }
    return ours;
  }
};

Status Invalid(const std::string& field, const std::string& message) {
  return Status::InvalidArgument(message, field);
}

}  // namespace

Result<PostHogImport> TranslatePostHogFlags(const Json& exported, const PostHogImportOptions& options) {
  const Json* list = &exported;
  std::string prefix;
  if (exported.is_object()) {
    list = Member(exported, "results");
    prefix = "results";
    if (list == nullptr)
      return Invalid("results", "a PostHog flags export is {\"results\": [...]} or an array of flags");
  }
  if (!list->is_array()) return Invalid(prefix.empty() ? "body" : prefix, "the flags must be a JSON array");

  Translator translator{options, {}, {}, {}};
  std::set<std::string> keys;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& flag = (*list)[i];
    const std::string field = prefix + "[" + std::to_string(i) + "]";
    if (!flag.is_object()) return Invalid(field, "each flag must be a JSON object");
    const Json* key = Member(flag, "key");
    if (key == nullptr || !key->is_string() || key->empty())
      return Invalid(field + ".key", "each flag needs a key");
    if (BoolOr(flag, "deleted", false)) continue;
    if (!keys.insert(key->get<std::string>()).second) {
      return Invalid(field + ".key", "flag '" + key->get<std::string>() + "' appears twice");
    }
    if (auto id = IdText(flag.value("id", Json()))) translator.flag_keys[*id] = key->get<std::string>();
  }
  for (const Json& flag : *list) {
    const std::string key = flag["key"].get<std::string>();
    if (BoolOr(flag, "deleted", false)) {
      translator.out.skipped.push_back("flag " + Quoted(key) + ": deleted in PostHog");
      continue;
    }
    translator.out.flags.push_back(translator.Flag(key, flag));
  }
  translator.out.missing = translator.missing.Lines();
  return std::move(translator.out);
}

}  // namespace switchyard::cli
