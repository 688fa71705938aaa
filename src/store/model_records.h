// What the Store backends share about the model registry and routes: error shapes, and the audit
// forms of alias moves and transitions, so every backend fails and audits alike.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "registry/model_alias.h"
#include "registry/model_version.h"
#include "registry/route_definition.h"
#include "switchyard/status.h"

namespace switchyard::store {

Status ModelVersionNotFound(const std::string& name, const std::string& version);  // field "version"
Status ModelVersionExists(const std::string& name, const std::string& version);    // field "version"
Status ModelAliasNotFound(const std::string& name, const std::string& alias);      // field "alias"
Status RouteNotFound(const std::string& key);                                      // field "key"
Status RouteExists(const std::string& key);                                        // field "key"
// Conflict (field "version") naming the current version.
Status RouteVersionConflict(const std::string& key, std::int64_t current, std::int64_t expected);
// Conflict (field "to"): archiving a version `alias` points at.
Status ArchivingAliasTarget(const registry::ModelVersion& model, const std::string& alias);

// The version with the store's fields set: validated, registered, created now by `actor`.
Result<registry::ModelVersion> NewModelVersion(const registry::ModelVersion& model, const std::string& actor,
                                               const std::string& now);
Result<registry::RouteDefinition> CanonicalRoute(const registry::RouteDefinition& route);

nlohmann::json TransitionAuditJson(const registry::ModelVersion& model, const std::string& reason);
nlohmann::json AliasAuditJson(const registry::AliasMove& move);

}  // namespace switchyard::store
