#include "server/flag_body.h"

#include <algorithm>

#include "server/handler_support.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

// Fields a GET answers that a write body may carry back unchanged: they are the server's to set.
void DropReadOnlyFields(json& body) {
  for (const char* field : {"created_at", "updated_at", "updated_by", "warnings", "changed"})
    body.erase(field);
}

// Builds a flag from a PUT/POST body; the path's key fills a missing "key" and must match a given one.
Result<Flag> FlagFromBody(json& body, const std::string& path_key) {
  if (!path_key.empty()) {
    if (Status s = MatchPathValue(body, "key", path_key); !s.ok()) return s;
  }
  DropReadOnlyFields(body);
  return FlagFromJson(body);
}

// A body with "environments" may repeat a GET's top level (production's targeting) unchanged;
// a top level edited next to "environments" would be overridden by them, so it is refused
// rather than silently lost.
Status CheckTopLevelAgrees(const json& body, const Flag& flag,
                           const std::map<std::string, FlagTargeting>& overrides) {
  if (overrides.empty() || (!body.contains("active") && !body.contains("filters"))) return Status::Ok();
  auto primary = overrides.find(store::kPrimaryEnvironment);
  if (primary != overrides.end() && primary->second == TargetingOf(flag)) return Status::Ok();
  return Status::InvalidArgument(
      "the body sets active/filters at the top level and also \"environments\"; the top level must repeat "
      "environments.production (as a GET shows it) or be left out",
      body.contains("filters") ? "filters" : "active");
}

}  // namespace

// Takes "environments" (and "environment", which must agree with the query) out of a body before
// it is read as a flag; the overrides apply after the flag's own targeting.
Result<std::map<std::string, FlagTargeting>> TakeEnvironmentOverrides(json& body, const FlagScope& scope) {
  std::map<std::string, FlagTargeting> overrides;
  if (auto it = body.find("environment"); it != body.end()) {
    if (!it->is_null() && (!scope.environment || *it != scope.environment->key)) {
      return Status::InvalidArgument(
          "\"environment\" in a body is read-only; name the environment with ?environment=KEY",
          "environment");
    }
    body.erase(it);
  }
  auto it = body.find("environments");
  if (it == body.end()) return overrides;
  json environments = std::move(*it);
  body.erase(it);
  if (environments.is_null()) return overrides;
  if (scope.environment) {
    return Status::InvalidArgument(
        "\"environments\" sets every environment; it cannot be combined with ?environment=", "environments");
  }
  if (!environments.is_object())
    return Status::InvalidArgument("environments must be an object", "environments");
  for (const auto& item : environments.items()) {
    const std::string key = item.key();
    const json& value = item.value();
    const bool known = std::any_of(scope.environments.begin(), scope.environments.end(),
                                   [&](const store::Environment& e) { return e.key == key; });
    if (!known) {
      return Status::InvalidArgument("the project has no environment '" + key + "'", "environments." + key);
    }
    auto targeting = TargetingFromJson(value, "environments." + key);
    if (!targeting.ok()) return targeting.status();
    overrides[key] = std::move(*targeting);
  }
  return overrides;
}

Result<FlagBody> ReadFlagBody(json body, const FlagScope& scope, const std::string& path_key) {
  auto overrides = TakeEnvironmentOverrides(body, scope);
  if (!overrides.ok()) return overrides.status();
  auto flag = FlagFromBody(body, path_key);
  if (!flag.ok()) return flag.status();
  if (Status s = CheckTopLevelAgrees(body, *flag, *overrides); !s.ok()) return s;
  return FlagBody{std::move(*flag), std::move(*overrides)};
}

void ApplyFlagBody(const FlagBody& body, const std::vector<std::string>& targets, store::FlagRecord& record) {
  const std::int64_t version = record.flag.version;
  record.flag = DefinitionOf(body.flag);
  record.flag.version = version;
  for (const std::string& key : targets) record.environments[key] = TargetingOf(body.flag);
  for (const auto& [key, targeting] : body.overrides) record.environments[key] = targeting;
}

}  // namespace switchyard::server
