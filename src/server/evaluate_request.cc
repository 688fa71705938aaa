#include "server/evaluate_request.h"

#include <string_view>
#include <unordered_set>

#include "core/abbreviate.h"
#include "core/known_fields.h"
#include "core/text.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

// Field names quoted back in errors are client input: keep what is echoed short.
constexpr std::size_t kQuotedNameBytes = 64;

std::string PropertyField(std::string_view properties_field, std::string_view key) {
  std::string field(properties_field);
  field += '.';
  field += core::Abbreviate(key, kQuotedNameBytes);
  return field;
}

bool IsScalar(const json& value) {
  return value.is_null() || value.is_boolean() || value.is_number() || value.is_string();
}

Status CheckScalar(const json& value, const std::string& field) {
  if (!IsScalar(value)) {
    return Status::InvalidArgument(
        "a property value is a string, number, boolean, null, or a flat list or object of those", field);
  }
  if (value.is_string() && value.get_ref<const std::string&>().size() > kMaxPropertyStringBytes) {
    return Status::InvalidArgument(
        "a property's strings are at most " + std::to_string(kMaxPropertyStringBytes) + " bytes", field);
  }
  return Status::Ok();
}

Status CheckPropertyKey(std::string_view key, std::string_view field) {
  if (key.size() > kMaxPropertyKeyBytes) {
    return Status::InvalidArgument(
        "property keys are at most " + std::to_string(kMaxPropertyKeyBytes) + " bytes", std::string(field));
  }
  return Status::Ok();
}

// One property: a scalar, or a list / object of scalars (one level: enough for every operator).
Status CheckPropertyValue(const json& value, const std::string& field, std::size_t* budget) {
  if (!value.is_array() && !value.is_object()) return CheckScalar(value, field);
  if (value.size() > *budget) {
    return Status::InvalidArgument(
        "at most " + std::to_string(kMaxPropertyValues) + " property values per request", field);
  }
  *budget -= value.size();
  for (const auto& [key, item] : value.items()) {
    if (value.is_object()) {
      if (Status s = CheckPropertyKey(key, field); !s.ok()) return s;
    }
    if (Status s = CheckScalar(item, field); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<json> TakeRequestProperties(json* body, std::string_view field) {
  auto props = body->find(field);
  const std::string name(field);
  if (props == body->end() || props->is_null()) return json::object();
  if (!props->is_object()) return Status::InvalidArgument(name + " must be a JSON object", name);
  if (props->size() > kMaxPropertyValues) {
    return Status::InvalidArgument(
        "at most " + std::to_string(kMaxPropertyValues) + " property values per request", name);
  }
  std::size_t budget = kMaxPropertyValues - props->size();
  for (const auto& [key, value] : props->items()) {
    if (Status s = CheckPropertyKey(key, name); !s.ok()) return s;
    if (Status s = CheckPropertyValue(value, PropertyField(name, key), &budget); !s.ok()) return s;
  }
  return std::move(*props);
}

Result<std::string> ReadDistinctId(const json& body) {
  auto id = body.find("distinct_id");
  if (id == body.end() || !id->is_string() || id->get_ref<const std::string&>().empty() ||
      id->get_ref<const std::string&>().size() > kMaxDistinctIdBytes) {
    return Status::InvalidArgument(
        "distinct_id must be a string of 1 to " + std::to_string(kMaxDistinctIdBytes) + " bytes",
        "distinct_id");
  }
  return id->get<std::string>();
}

Result<std::optional<std::vector<std::string>>> ReadRequestedFlags(const json& body, std::string_view field) {
  auto flags = body.find(field);
  const std::string name(field);
  if (flags == body.end() || flags->is_null()) return std::optional<std::vector<std::string>>();
  if (!flags->is_array() || flags->size() > kMaxRequestedFlags) {
    return Status::InvalidArgument(
        name + " must be an array of at most " + std::to_string(kMaxRequestedFlags) + " flag keys", name);
  }
  std::vector<std::string> keys;
  keys.reserve(flags->size());
  std::unordered_set<std::string_view> seen;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < flags->size(); ++i) {
    const json& key = (*flags)[i];
    // No flag can have any other name, and a valid key needs no escaping when echoed.
    if (!key.is_string() || !core::IsValidKey(key.get_ref<const std::string&>())) {
      return Status::InvalidArgument(
          name + " holds flag keys: 1 to 200 characters of [A-Za-z0-9_.-], not \".\" or \"..\"",
          name + "[" + std::to_string(i) + "]");
    }
    const std::string& flag = key.get_ref<const std::string&>();
    if (!seen.insert(flag).second) {
      return Status::InvalidArgument(name + " repeats \"" + flag + "\"",
                                     name + "[" + std::to_string(i) + "]");
    }
    bytes += flag.size();
    if (bytes > kMaxRequestedFlagBytes) {
      return Status::InvalidArgument(
          name + " may name at most " + std::to_string(kMaxRequestedFlagBytes) + " bytes of keys in all",
          name);
    }
    keys.push_back(flag);
  }
  return std::optional<std::vector<std::string>>(std::move(keys));
}

Status ReadEvaluationScope(const json& body, std::optional<std::string>* project,
                           std::optional<std::string>* environment) {
  for (auto [field, out] : {std::pair{"project", project}, std::pair{"environment", environment}}) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_string()) {
      return Status::InvalidArgument(
          std::string(field) + " must be a string (a project slug or environment key)", field);
    }
    *out = it->get<std::string>();
  }
  return Status::Ok();
}

Result<EvaluateRequest> ParseEvaluateRequest(json body) {
  if (Status s = core::CheckFields(body, "", core::kEvaluateRequestFields); !s.ok()) return s;
  EvaluateRequest request;
  if (Status s = ReadEvaluationScope(body, &request.project, &request.environment); !s.ok()) return s;
  auto flags = ReadRequestedFlags(body, "flags");
  if (!flags.ok()) return flags.status();
  request.flags = std::move(*flags);
  auto id = ReadDistinctId(body);
  if (!id.ok()) return id.status();
  request.distinct_id = std::move(*id);
  auto properties = TakeRequestProperties(&body, "properties");
  if (!properties.ok()) return properties.status();
  request.properties = std::move(*properties);
  auto groups = ReadRequestGroups(body);
  if (!groups.ok()) return groups.status();
  request.groups = std::move(*groups);
  return request;
}

}  // namespace switchyard::server
