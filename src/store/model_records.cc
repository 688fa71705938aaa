#include "store/model_records.h"

namespace switchyard::store {

Status ModelVersionNotFound(const std::string& name, const std::string& version) {
  return Status::NotFound("model version " + name + "@" + version + " not found", "version");
}

Status ModelVersionExists(const std::string& name, const std::string& version) {
  return Status::AlreadyExists("model version " + name + "@" + version + " is already registered", "version");
}

Status ModelAliasNotFound(const std::string& name, const std::string& alias) {
  return Status::NotFound("alias " + name + "@" + alias + " not found", "alias");
}

Status RouteNotFound(const std::string& key) {
  return Status::NotFound("route '" + key + "' not found", "key");
}

Status RouteExists(const std::string& key) {
  return Status::AlreadyExists("route '" + key + "' already exists", "key");
}

Status RouteVersionConflict(const std::string& key, std::int64_t current, std::int64_t expected) {
  return Status::Conflict("route '" + key + "' is at version " + std::to_string(current) + ", not " +
                              std::to_string(expected) + "; read it again and retry",
                          "version");
}

Status ArchivingAliasTarget(const registry::ModelVersion& model, const std::string& alias) {
  return Status::Conflict("cannot archive " + model.Reference() + ": alias " + model.name + "@" + alias +
                              " points at it; move the alias first",
                          "to");
}

Result<registry::ModelVersion> NewModelVersion(const registry::ModelVersion& model, const std::string& actor,
                                               const std::string& now) {
  if (Status s = registry::ValidateModelVersion(model); !s.ok()) return s;
  registry::ModelVersion out = model;
  out.state = registry::ModelState::kRegistered;
  out.created_by = actor;
  out.created_at = now;
  out.state_changed_at = now;
  return out;
}

Result<registry::RouteDefinition> CanonicalRoute(const registry::RouteDefinition& route) {
  if (Status s = registry::ValidateRoute(route); !s.ok()) return s;
  return route;
}

nlohmann::json TransitionAuditJson(const registry::ModelVersion& model, const std::string& reason) {
  return {{"state", registry::ModelStateName(model.state)}, {"reason", reason}};
}

nlohmann::json AliasAuditJson(const registry::AliasMove& move) {
  return registry::AliasMoveToJson(move);
}

}  // namespace switchyard::store
