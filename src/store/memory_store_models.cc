// MemoryStore: the model registry and gateway routes, under the same lock as everything else.
#include <algorithm>

#include "registry/model_reference.h"
#include "store/memory_store.h"
#include "store/model_records.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {

using registry::AliasMove;
using registry::ModelAlias;
using registry::ModelVersion;
using registry::RouteDefinition;

Result<AliasMove> MemoryStore::MoveAliasLocked(ProjectState& state, const std::string& name,
                                               const std::string& alias, const std::string& to,
                                               const std::string& reason, const std::string& actor,
                                               bool rollback) {
  auto target = state.models.find({name, to});
  if (target == state.models.end()) return ModelVersionNotFound(name, to);
  if (Status s = registry::CheckAliasTarget(target->second); !s.ok()) return s;
  const std::string now = NowTimestamp();
  ModelAlias& current = state.aliases[{name, alias}];
  AliasMove move{next_alias_move_id_++, name, alias, current.version, to, actor, now, reason, rollback};
  current = ModelAlias{name, alias, to, now, actor};
  state.alias_history[{name, alias}].push_back(move);
  return move;
}

Result<ModelVersion> MemoryStore::CreateModelVersion(std::int64_t project_id, const ModelVersion& model,
                                                     const Actor& actor) {
  auto stored = NewModelVersion(model, actor.name, NowTimestamp());
  if (!stored.ok()) return stored.status();
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  if (state->models.contains({model.name, model.version}))
    return ModelVersionExists(model.name, model.version);
  state->models[{model.name, model.version}] = *stored;
  AppendAudit(project_id, actor, "model.register", "model", stored->Reference(), nullptr,
              registry::ModelVersionToJson(*stored));
  auto latest = state->aliases.find({model.name, registry::kLatestAlias});
  if (registry::MovesLatest(latest == state->aliases.end() ? "" : latest->second.version, model.version)) {
    auto move = MoveAliasLocked(*state, model.name, registry::kLatestAlias, model.version,
                                "registered " + stored->Reference(), actor.name, false);
    if (!move.ok()) return move.status();
    AppendAudit(project_id, actor, "model.alias", "model_alias", model.name + "@" + registry::kLatestAlias,
                nullptr, AliasAuditJson(*move));
  }
  return stored;
}

Result<ModelVersion> MemoryStore::GetModelVersion(std::int64_t project_id, const std::string& name,
                                                  const std::string& version) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->models.find({name, version});
  if (it == state->models.end()) return ModelVersionNotFound(name, version);
  return it->second;
}

Result<std::vector<ModelVersion>> MemoryStore::ListModelVersions(std::int64_t project_id) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  std::vector<ModelVersion> out;
  for (const auto& [id, model] : state->models) out.push_back(model);
  std::stable_sort(out.begin(), out.end(), [](const ModelVersion& a, const ModelVersion& b) {
    if (a.name != b.name) return a.name < b.name;
    return registry::VersionOrder(a.version) < registry::VersionOrder(b.version);
  });
  return out;
}

Result<ModelVersion> MemoryStore::TransitionModelVersion(std::int64_t project_id, const std::string& name,
                                                         const std::string& version, registry::ModelState to,
                                                         const std::string& reason, const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->models.find({name, version});
  if (it == state->models.end()) return ModelVersionNotFound(name, version);
  if (Status s = registry::CheckTransition(it->second.state, to); !s.ok()) return s;
  if (to == registry::ModelState::kArchived) {
    for (const auto& [key, alias] : state->aliases)
      if (key.first == name && alias.version == version) return ArchivingAliasTarget(it->second, alias.alias);
  }
  nlohmann::json before = TransitionAuditJson(it->second, "");
  it->second.state = to;
  it->second.state_changed_at = NowTimestamp();
  AppendAudit(project_id, actor, "model.transition", "model", it->second.Reference(), std::move(before),
              TransitionAuditJson(it->second, reason));
  return it->second;
}

Result<std::vector<ModelAlias>> MemoryStore::ListModelAliases(std::int64_t project_id) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  std::vector<ModelAlias> out;
  for (const auto& [key, alias] : state->aliases) out.push_back(alias);
  return out;
}

Result<AliasMove> MemoryStore::MoveModelAlias(std::int64_t project_id, const std::string& name,
                                              const std::string& alias,
                                              const std::optional<std::string>& version,
                                              const std::string& reason, const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  std::string to;
  if (version) {
    to = *version;
  } else {
    auto history = state->alias_history.find({name, alias});
    if (history == state->alias_history.end()) return ModelAliasNotFound(name, alias);
    auto target = registry::RollbackTarget(name, alias, history->second);
    if (!target.ok()) return target.status();
    to = *target;
  }
  auto move = MoveAliasLocked(*state, name, alias, to, reason, actor.name, !version.has_value());
  if (!move.ok()) return move.status();
  AppendAudit(project_id, actor, version ? "model.alias" : "model.rollback", "model_alias",
              name + "@" + alias, nullptr, AliasAuditJson(*move));
  return move;
}

Result<std::vector<AliasMove>> MemoryStore::ListModelAliasHistory(std::int64_t project_id,
                                                                  const std::string& name,
                                                                  const std::string& alias) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->alias_history.find({name, alias});
  if (it == state->alias_history.end()) return ModelAliasNotFound(name, alias);
  return it->second;
}

Result<RouteDefinition> MemoryStore::CreateRoute(std::int64_t project_id, const RouteDefinition& route,
                                                 const Actor& actor) {
  auto canonical = CanonicalRoute(route);
  if (!canonical.ok()) return canonical.status();
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  if (state->routes.contains(route.key)) return RouteExists(route.key);
  RouteDefinition stored = *canonical;
  stored.version = 1;
  stored.created_at = stored.updated_at = NowTimestamp();
  stored.updated_by = actor.name;
  state->routes[route.key] = stored;
  AppendAudit(project_id, actor, "route.create", "route", route.key, nullptr, registry::RouteToJson(stored));
  return stored;
}

Result<RouteDefinition> MemoryStore::UpdateRoute(std::int64_t project_id, const RouteDefinition& route,
                                                 std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  auto canonical = CanonicalRoute(route);
  if (!canonical.ok()) return canonical.status();
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->routes.find(route.key);
  if (it == state->routes.end()) return RouteNotFound(route.key);
  if (it->second.version != expected_version)
    return RouteVersionConflict(route.key, it->second.version, expected_version);
  RouteDefinition stored = *canonical;
  stored.version = it->second.version + 1;
  stored.created_at = it->second.created_at;
  stored.updated_at = NowTimestamp();
  stored.updated_by = actor.name;
  nlohmann::json before = registry::RouteToJson(it->second);
  it->second = stored;
  AppendAudit(project_id, actor, "route.update", "route", route.key, std::move(before),
              registry::RouteToJson(stored));
  return stored;
}

Status MemoryStore::DeleteRoute(std::int64_t project_id, const std::string& key,
                                std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->routes.find(key);
  if (it == state->routes.end()) return RouteNotFound(key);
  if (it->second.version != expected_version)
    return RouteVersionConflict(key, it->second.version, expected_version);
  nlohmann::json before = registry::RouteToJson(it->second);
  state->routes.erase(it);
  AppendAudit(project_id, actor, "route.delete", "route", key, std::move(before), nullptr);
  return Status::Ok();
}

Result<RouteDefinition> MemoryStore::GetRoute(std::int64_t project_id, const std::string& key) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  auto it = state->routes.find(key);
  if (it == state->routes.end()) return RouteNotFound(key);
  return it->second;
}

Result<std::vector<RouteDefinition>> MemoryStore::ListRoutes(std::int64_t project_id) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  std::vector<RouteDefinition> out;
  for (const auto& [key, route] : state->routes) out.push_back(route);
  return out;
}

}  // namespace switchyard::store
