// Reading a flag write's body (POST, PUT, and each flag of a bulk apply) into what it changes:
// the scope it names (?environment=), the flag, and per-environment overrides ("environments").
//
// Environments: a write that names an environment changes the shared definition and that
// environment's targeting; one that names none gives every environment the targeting it carries,
// then "environments": {key: {"active", "filters"}} sets environments one by one (the shape a GET
// returns, so a GET edited and sent back round-trips).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace switchyard::server {

// What a flag request is about: its project, the project's environments, and the one it names.
struct FlagScope {
  store::Project project;
  std::vector<store::Environment> environments;
  std::optional<store::Environment> environment;

  // The environments a write changes: the named one, or all.
  std::vector<std::string> Targets() const {
    if (environment) return {environment->key};
    std::vector<std::string> keys;
    for (const auto& each : environments) keys.push_back(each.key);
    return keys;
  }
  // `actor` in the environment the request names, for the audit log.
  store::Actor In(store::Actor actor) const {
    if (environment) actor.environment = environment->key;
    return actor;
  }
};

// Takes "environments" (and "environment", which must agree with the query) out of a body before
// it is read as a flag; the overrides apply after the flag's own targeting.
Result<std::map<std::string, FlagTargeting>> TakeEnvironmentOverrides(nlohmann::json& body,
                                                                      const FlagScope& scope);

// A flag body as a write reads it.
struct FlagBody {
  Flag flag;
  std::map<std::string, FlagTargeting> overrides;  // from "environments", by environment key
};

// Reads a POST/PUT body: the path's key fills a missing "key" and must match a given one (none:
// `path_key` empty). Read-only fields a GET answers are accepted and dropped. InvalidArgument with
// the field for anything else the flag parser refuses, an unknown environment, or "environments"
// combined with ?environment= or disagreeing with a top-level active/filters.
Result<FlagBody> ReadFlagBody(nlohmann::json body, const FlagScope& scope, const std::string& path_key);

// Gives `targets` the flag's targeting and the record the flag's definition, then the overrides.
void ApplyFlagBody(const FlagBody& body, const std::vector<std::string>& targets, store::FlagRecord& record);

}  // namespace switchyard::server
